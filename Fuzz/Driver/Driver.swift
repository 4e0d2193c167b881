// SwiftPM links an executable target with `--defsym main=<module>_main` (so that tests can link the
// module), which replaces libFuzzer's own `main`. Each target therefore exports that symbol itself
// and hands control to libFuzzer through its documented driver entry point. The targets also export
// `LLVMFuzzerTestOneInput`, which libFuzzer's (unused) `main` object still references.

@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafeRawPointer, Int) -> CInt
) -> CInt

/// Runs libFuzzer with the process arguments on `test` (one input per call; 0 means "keep going").
public func fuzzerMain(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
    _ test: @convention(c) (UnsafeRawPointer, Int) -> CInt
) -> CInt {
    var argc = argc, argv = argv
    return runDriver(&argc, &argv, test)
}

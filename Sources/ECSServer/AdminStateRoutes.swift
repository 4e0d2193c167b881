import ECSAPI
import ECSDomain
import ECSStore
import Foundation
import Hummingbird
import NIOCore

/// `/_localecs/reset` and `/_localecs/state`: what a test suite calls between tests.
/// Registered from `AdminRoutes.add`, so whatever guards the admin routes guards these too.
///
/// - `POST /_localecs/reset[?account=ID]`: 200 once the reset is durable.
/// - `GET /_localecs/state[?account=ID]`: 200 with the canonical estate JSON (it holds secrets).
/// - `PUT /_localecs/state[?replace=true]`: the body is an estate; 200 `{"Records": n}`.
///
/// Errors are JSON `{"Code", "Message"}`: 400 `InvalidEstate.Malformed`, `InvalidEstate.Format`,
/// `InvalidEstate.Value`, `InvalidParameter`; 404 `InvalidAccount.NotFound`; 409
/// `StateNotEmpty`, `EstateConflict`; 413 `EstateTooLarge`.
enum AdminStateRoutes {
    /// The largest estate a PUT accepts (10,000 instances and key pairs are about 15 MB).
    static let maxEstateBytes = 512 * 1024 * 1024

    /// - Parameter refusal: the admin routes' access check (nil lets the request through); the
    ///   caller passes the same one its other admin routes use.
    static func add(to router: Router<LocalECSContext>, state: StateService,
                    refusal: @escaping @Sendable (Request) -> Response? = { _ in nil },
                    afterReset: @escaping @Sendable () -> Void = {}) {
        router.post("/_localecs/reset") { request, _ in
            if let refused = refusal(request) { return refused }
            return await answer {
                let account = try accountParameter(request)
                try await state.reset(account: account)
                afterReset()
                return AdminRoutes.json(200, ["Reset": .string(account ?? "all")])
            }
        }
        router.get("/_localecs/state") { request, _ in
            if let refused = refusal(request) { return refused }
            return await answer {
                let estate = try await state.export(account: try accountParameter(request))
                return Response(status: .ok, headers: [.contentType: "application/json"],
                                body: ResponseBody(byteBuffer: ByteBuffer(bytes: try estate.canonicalJSON())))
            }
        }
        router.put("/_localecs/state") { request, _ in
            if let refused = refusal(request) { return refused }
            return await answer {
                let replace: Bool
                switch request.uri.queryParameters.get("replace") {
                case nil, "false", "0": replace = false
                case "true", "1": replace = true
                case let v?: throw AdminError(400, "InvalidParameter", "replace must be true or false, not \(v)")
                }
                let body: ByteBuffer
                do {
                    body = try await request.body.collect(upTo: maxEstateBytes)
                } catch {
                    throw AdminError(413, "EstateTooLarge", "an estate is at most \(maxEstateBytes) bytes")
                }
                let estate = try Estate.decode(Data(body.readableBytesView))
                let n = try await state.load(estate, replace: replace)
                return AdminRoutes.json(200, ["Records": .integer(n)])
            }
        }
    }

    static func accountParameter(_ request: Request) throws -> String? {
        guard let v = request.uri.queryParameters.get("account") else { return nil }
        guard AccountService.isValidAccountId(v) else { throw AdminError(400, "InvalidParameter", "account must be 16 digits, not \(v)") }
        return v
    }

    struct AdminError: Error {
        let status: Int, code: String, message: String
        init(_ status: Int, _ code: String, _ message: String) { self.status = status; self.code = code; self.message = message }
    }

    /// Runs `body`, rendering every failure as a JSON error (never a bare 500 page).
    static func answer(_ body: () async throws -> Response) async -> Response {
        let e: AdminError
        do {
            return try await body()
        } catch let a as AdminError {
            e = a
        } catch let s as StateError {
            switch s {
            case .accountNotFound: e = AdminError(404, "InvalidAccount.NotFound", s.description)
            case .notEmpty: e = AdminError(409, "StateNotEmpty", s.description)
            case .conflict: e = AdminError(409, "EstateConflict", s.description)
            case .estate(let estateError): e = estateFailure(estateError)
            }
        } catch let estateError as EstateError {
            e = estateFailure(estateError)
        } catch StoreError.unavailable(let m) {
            e = AdminError(503, "ServiceUnavailable", m)
        } catch {
            e = AdminError(500, "InternalError", "\(error)")
        }
        return AdminRoutes.json(e.status, ["Code": .string(e.code), "Message": .string(e.message)])
    }

    static func estateFailure(_ e: EstateError) -> AdminError {
        switch e {
        case .malformed: return AdminError(400, "InvalidEstate.Malformed", e.description)
        case .unknownFormat: return AdminError(400, "InvalidEstate.Format", e.description)
        case .invalid: return AdminError(400, "InvalidEstate.Value", e.description)
        }
    }
}

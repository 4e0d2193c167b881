extension ConsoleAssets {
    /// ACS3-HMAC-SHA256 in the browser (WebCrypto), checked against `tests/vectors/signatures.json`.
    static let signerJS = #"""
// ACS3-HMAC-SHA256, as the official SDKs sign (protocol-and-ram.md §3): canonical request,
// SHA-256 of it, HMAC-SHA256 with the secret. WebCrypto only; nothing leaves the tab but the signed call.
const enc = new TextEncoder();
const hex = (buf) => Array.from(new Uint8Array(buf), (b) => b.toString(16).padStart(2, "0")).join("");
async function sha256Hex(text) { return hex(await crypto.subtle.digest("SHA-256", enc.encode(text))); }
async function hmacHex(secret, text) {
  const key = await crypto.subtle.importKey("raw", enc.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return hex(await crypto.subtle.sign("HMAC", key, enc.encode(text)));
}
// RFC 3986: encodeURIComponent leaves !'()* alone; the SDKs encode them.
function pct(s) {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}
function canonicalQuery(pairs) {
  return pairs.map(([k, v]) => [pct(k), pct(v)]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([k, v]) => k + "=" + v).join("&");
}
async function canonicalRequest(method, pairs, headers, payloadHash) {
  const names = Object.keys(headers).map((h) => h.toLowerCase()).sort();
  const lower = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = String(v).trim();
  const canonHeaders = names.map((n) => n + ":" + lower[n] + "\n").join("");
  return [method, "/", canonicalQuery(pairs), canonHeaders, names.join(";"), payloadHash].join("\n");
}
async function signature(secret, canonical) {
  return hmacHex(secret, "ACS3-HMAC-SHA256\n" + (await sha256Hex(canonical)));
}
// One captured SDK request (tests/vectors/signatures.json): the signature this code computes for it.
async function signVector(v) {
  const auth = v.headers.find(([k]) => k.toLowerCase() === "authorization")[1];
  const signed = /SignedHeaders=([^,]+)/.exec(auth)[1].split(";");
  const headers = {};
  for (const [k, val] of v.headers) if (signed.includes(k.toLowerCase())) headers[k.toLowerCase()] = val;
  const query = v.target.includes("?") ? v.target.slice(v.target.indexOf("?") + 1) : "";
  const pairs = query ? query.split("&").map((p) => {
    const i = p.indexOf("=");
    const d = (s) => decodeURIComponent(s.replace(/\+/g, "%20"));
    return i < 0 ? [d(p), ""] : [d(p.slice(0, i)), d(p.slice(i + 1))];
  }) : [];
  const payload = headers["x-acs-content-sha256"] || (await sha256Hex(v.body || ""));
  const canonical = await canonicalRequest(v.method, pairs, headers, payload);
  return { signature: await signature(v.secret, canonical), canonical };
}
function nonce() { return hex(crypto.getRandomValues(new Uint8Array(16))); }
function isoNow() { return new Date().toISOString().replace(/\.\d+Z$/, "Z"); }
// Signs and sends one RPC call; returns {status, body (parsed JSON or text), requestId, ms}.
async function rpcCall(cred, version, action, params) {
  const pairs = Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== "").map(([k, v]) => [k, String(v)]);
  const headers = {
    "host": location.host, "x-acs-action": action, "x-acs-version": version, "x-acs-date": isoNow(),
    "x-acs-signature-nonce": nonce(), "x-acs-content-sha256": await sha256Hex(""),
  };
  if (cred.token) headers["x-acs-security-token"] = cred.token;
  const canonical = await canonicalRequest("POST", pairs, headers, headers["x-acs-content-sha256"]);
  const sig = await signature(cred.secret, canonical);
  const names = Object.keys(headers).sort().join(";");
  const send = { ...headers, "Authorization": `ACS3-HMAC-SHA256 Credential=${cred.ak},SignedHeaders=${names},Signature=${sig}`, "Accept": "application/json" };
  delete send.host;  // the browser sends Host itself, the value signed above
  const started = performance.now();
  const r = await fetch("/?" + canonicalQuery(pairs), { method: "POST", headers: send });
  const text = await r.text();
  const ms = Math.round(performance.now() - started);
  let body = text;
  try { body = JSON.parse(text); } catch (e) { /* XML or text: shown as it is */ }
  return { status: r.status, body, text, requestId: body && body.RequestId, ms };
}
window.LocalECSSigner = { signVector, rpcCall, canonicalQuery, pct };
"""#
}

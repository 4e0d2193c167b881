extension ConsoleAssets {
    /// The console's views: key pairs, instances, RAM, the API explorer, the audit trail.
    static let appJS = #"""
// The LocalECS console: every call below is signed in this tab (signer.js) with the credentials
// typed at sign-in, kept in sessionStorage only; RAM applies to it as to any SDK.
const $ = (sel, root = document) => root.querySelector(sel);
function h(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) e.setAttribute(k, v === true ? "" : v);
  }
  for (const k of kids.flat()) if (k !== null && k !== undefined) e.append(k.nodeType ? k : document.createTextNode(String(k)));
  return e;
}
const VERSIONS = { ecs: "2014-05-26", ram: "2015-05-01", sts: "2015-04-01", actiontrail: "2020-07-06", vpc: "2016-04-28" };
const state = { cred: JSON.parse(sessionStorage.getItem("localecs.cred") || "null"), region: sessionStorage.getItem("localecs.region") || "cn-hangzhou",
                tab: "keypairs", timer: null, instPage: 1, declarations: null };

async function api(product, action, params = {}) {
  const r = await LocalECSSigner.rpcCall(state.cred, VERSIONS[product], action, params);
  if (r.status !== 200) {
    const b = typeof r.body === "object" ? r.body : {};
    const err = new Error(`${b.Code || r.status}: ${b.Message || r.text}`);
    err.code = b.Code; err.result = r;
    throw err;
  }
  return r.body;
}
const ecs = (action, params = {}) => api("ecs", action, { RegionId: state.region, ...params });
function banner(msg, kind = "error") {
  const b = $("#banner");
  b.className = "banner " + kind; b.textContent = msg; b.hidden = !msg;
}
async function guarded(fn) {
  try { banner(""); await fn(); } catch (e) { banner(e.message); }
}
function table(headers, rows, empty) {
  if (!rows.length) return h("p", { class: "empty" }, empty);
  return h("table", {}, h("thead", {}, h("tr", {}, headers.map((x) => h("th", {}, x)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((c) => h("td", {}, c))))));
}

// ---------------------------------------------------------------- sign-in
function renderSignIn() {
  const form = h("form", { id: "signin", class: "card", onsubmit: async (ev) => {
    ev.preventDefault();
    state.cred = { ak: $("#ak").value.trim(), secret: $("#secret").value, token: $("#token").value.trim() || undefined };
    state.region = $("#region").value.trim() || "cn-hangzhou";
    try {
      await api("ecs", "DescribeRegions", {});
    } catch (e) {
      // A RAM user may lack ecs:DescribeRegions: only a signature or key problem stops sign-in.
      if (!e.code || /^(InvalidAccessKeyId|SignatureDoesNotMatch|InvalidSecurityToken)/.test(e.code)) {
        state.cred = null; banner(e.message); return;
      }
    }
    sessionStorage.setItem("localecs.cred", JSON.stringify(state.cred));
    sessionStorage.setItem("localecs.region", state.region);
    render();
  } },
  h("h2", {}, "Sign in"),
  h("p", {}, "An AccessKey of the account (root), of a RAM user, or STS credentials. It stays in this browser tab."),
  h("label", {}, "AccessKey ID", h("input", { id: "ak", required: true, autocomplete: "off" })),
  h("label", {}, "AccessKey secret", h("input", { id: "secret", type: "password", required: true })),
  h("label", {}, "Security token (STS only)", h("input", { id: "token" })),
  h("label", {}, "Region", h("input", { id: "region", value: state.region })),
  h("button", { id: "signin-button", type: "submit" }, "Sign in"));
  $("#main").replaceChildren(form);
}

// ---------------------------------------------------------------- key pairs
function download(name, text) {
  const a = h("a", { href: URL.createObjectURL(new Blob([text], { type: "application/x-pem-file" })), download: name + ".pem", id: "pem-download" }, `Download ${name}.pem (shown once)`);
  return a;
}
async function renderKeyPairs(box) {
  const body = await ecs("DescribeKeyPairs", { PageSize: 50 });
  const rows = body.KeyPairs.KeyPair.map((k) => [k.KeyPairName, k.KeyPairFingerPrint, k.CreationTime,
    (k.Tags && k.Tags.Tag || []).map((t) => `${t.TagKey}=${t.TagValue}`).join(", "),
    h("button", { class: "danger", "data-delete": k.KeyPairName, onclick: () => guarded(async () => {
      await ecs("DeleteKeyPairs", { KeyPairNames: JSON.stringify([k.KeyPairName]) }); refresh();
    }) }, "Delete")]);
  // The private key is shown once: the notice survives the view's refreshes, not a tab change.
  const created = state.created || (state.created = h("div", { id: "created" }));
  box.replaceChildren(
    h("div", { class: "toolbar" },
      h("input", { id: "kp-name", placeholder: "key pair name" }),
      h("input", { id: "kp-tag", placeholder: "tag key=value (optional)" }),
      h("button", { id: "kp-create", onclick: () => guarded(async () => {
        const name = $("#kp-name").value.trim();
        const params = { KeyPairName: name };
        const tag = $("#kp-tag").value.trim();
        if (tag) { const [k, ...v] = tag.split("="); params["Tag.1.Key"] = k; params["Tag.1.Value"] = v.join("="); }
        const r = await ecs("CreateKeyPair", params);
        created.replaceChildren(h("p", { class: "notice" }, `Created ${r.KeyPairName} (${r.KeyPairFingerPrint}). `, download(r.KeyPairName, r.PrivateKeyBody)));
        await refresh(false);
      }) }, "Create"),
      h("input", { id: "kp-public", placeholder: "ssh-rsa AAAA… (to import)" }),
      h("button", { id: "kp-import", onclick: () => guarded(async () => {
        await ecs("ImportKeyPair", { KeyPairName: $("#kp-name").value.trim(), PublicKeyBody: $("#kp-public").value.trim() }); refresh();
      }) }, "Import")),
    created,
    h("p", { class: "muted" }, `${body.TotalCount} key pair(s) in ${state.region}`),
    table(["Name", "Fingerprint", "Created", "Tags", ""], rows, "No key pairs in this region yet."));
}

// ---------------------------------------------------------------- instances
async function renderInstances(box) {
  const pageSize = 50;
  const body = await ecs("DescribeInstances", { PageSize: pageSize, PageNumber: state.instPage });
  const pages = Math.max(1, Math.ceil(body.TotalCount / pageSize));
  const selected = new Set([...document.querySelectorAll(".inst-check:checked")].map((c) => c.value));
  const act = (action, id) => h("button", { "data-action": action, "data-id": id, onclick: () => guarded(async () => {
    await ecs(action, { InstanceId: id }); refresh();
  }) }, action.replace("Instance", ""));
  const rows = body.Instances.Instance.map((i) => [
    h("input", { type: "checkbox", class: "inst-check", value: i.InstanceId, checked: selected.has(i.InstanceId) }),
    i.InstanceId, h("span", { class: "status " + i.Status, "data-status-of": i.InstanceId }, i.Status), i.ImageId, i.InstanceType,
    (i.VpcAttributes && i.VpcAttributes.PrivateIpAddress && i.VpcAttributes.PrivateIpAddress.IpAddress || []).join(", "),
    h("span", { "data-keypair-of": i.InstanceId }, i.KeyPairName || "—"),
    h("span", { class: "login", "data-login-of": i.InstanceId }, ""),
    h("span", {}, act("StartInstance", i.InstanceId), act("StopInstance", i.InstanceId), act("RebootInstance", i.InstanceId),
      h("button", { class: "danger", onclick: () => guarded(async () => { await ecs("DeleteInstance", { InstanceId: i.InstanceId, Force: true }); refresh(); }) }, "Delete"))]);
  const results = $("#bind-results") || h("div", { id: "bind-results" });
  const bind = (action) => guarded(async () => {
    const ids = [...document.querySelectorAll(".inst-check:checked")].map((c) => c.value)
      .concat($("#extra-ids").value.split(/[\s,]+/).filter(Boolean));
    const r = await ecs(action, { KeyPairName: $("#bind-kp").value.trim(), InstanceIds: JSON.stringify(ids.slice(0, 50)) });
    results.replaceChildren(h("p", {}, `${action}: TotalCount ${r.TotalCount}, FailCount ${r.FailCount}`),
      table(["InstanceId", "Code", "Message", "Success"], r.Results.Result.map((x) => [x.InstanceId, x.Code, x.Message, x.Success]), ""));
    refresh(false);
  });
  box.replaceChildren(
    h("div", { class: "toolbar" },
      h("input", { id: "run-image", value: "ubuntu_22_04_x64_20G_alibase_20240101.vhd", size: 34 }),
      h("input", { id: "run-type", value: "ecs.g7.large", size: 12 }),
      h("input", { id: "run-kp", placeholder: "key pair (optional)" }),
      h("input", { id: "run-password", type: "password", placeholder: "password (optional)" }),
      h("button", { id: "run-instance", onclick: () => guarded(async () => {
        await ecs("RunInstances", { ImageId: $("#run-image").value, InstanceType: $("#run-type").value,
                                     KeyPairName: $("#run-kp").value.trim(), Password: $("#run-password").value });
        refresh();
      }) }, "Run instance")),
    h("div", { class: "toolbar" }, "Selected (up to 50) and these IDs: ",
      h("input", { id: "extra-ids", placeholder: "i-… i-…" }), " key pair ", h("input", { id: "bind-kp" }),
      h("button", { id: "attach", onclick: () => bind("AttachKeyPair") }, "Attach"),
      h("button", { id: "detach", onclick: () => bind("DetachKeyPair") }, "Detach")),
    results,
    h("p", { class: "muted" }, `${body.TotalCount} instance(s) in ${state.region}; page ${state.instPage} of ${pages} `,
      h("button", { id: "prev-page", disabled: state.instPage <= 1, onclick: () => { state.instPage--; refresh(); } }, "‹"),
      h("button", { id: "next-page", disabled: state.instPage >= pages, onclick: () => { state.instPage++; refresh(); } }, "›")),
    table(["", "Instance", "Status", "Image", "Type", "Address", "Key pair bound", "Login in effect", ""], rows, "No instances in this region yet."));
  // The login in effect is not in the ECS API: the admin view tells it (loopback or admin token only).
  for (const i of body.Instances.Instance) {
    fetch("/_localecs/instances/" + encodeURIComponent(i.InstanceId)).then((r) => (r.ok ? r.json() : null)).then((v) => {
      const cell = document.querySelector(`[data-login-of="${i.InstanceId}"]`);
      if (v && cell) cell.textContent = [v.EffectiveKeyPair ? "key " + v.EffectiveKeyPair : "", v.PasswordLoginEffective ? "password" : "",
        v.RestartPending ? "(restart pending)" : ""].filter(Boolean).join(", ") || "none";
    }).catch(() => {});
  }
}

// ---------------------------------------------------------------- RAM
async function renderRAM(box) {
  const [users, policies, roles] = await Promise.all([api("ram", "ListUsers", { MaxItems: 100 }),
    api("ram", "ListPolicies", { PolicyType: "Custom", MaxItems: 100 }), api("ram", "ListRoles", { MaxItems: 100 })]);
  const userRows = [];
  for (const u of users.Users.User) {
    let keys = "";
    try { keys = (await api("ram", "ListAccessKeys", { UserName: u.UserName })).AccessKeys.AccessKey.map((k) => `${k.AccessKeyId} (${k.Status})`).join(", "); }
    catch (e) { keys = e.message; }
    userRows.push([u.UserName, u.UserId, u.CreateDate, keys]);
  }
  box.replaceChildren(h("h3", {}, "Users"), table(["Name", "ID", "Created", "Access keys"], userRows, "No RAM users."),
    h("h3", {}, "Custom policies"), table(["Name", "Description", "Attachments"], policies.Policies.Policy.map((p) => [p.PolicyName, p.Description, p.AttachmentCount]), "No custom policies."),
    h("h3", {}, "Roles"), table(["Name", "ARN", "Created"], roles.Roles.Role.map((r) => [r.RoleName, r.Arn, r.CreateDate]), "No roles."));
}

// ---------------------------------------------------------------- API explorer
const snake = (s) => s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").replace(/([A-Z])([A-Z][a-z])/g, "$1_$2").toLowerCase();
const PY = { ecs: ["alibabacloud_ecs20140526", "alibabacloud-ecs20140526==7.11.8"], ram: ["alibabacloud_ram20150501", "alibabacloud-ram20150501==1.3.0"],
             sts: ["alibabacloud_sts20150401", "alibabacloud-sts20150401==1.2.0"], actiontrail: ["alibabacloud_actiontrail20200706", "alibabacloud-actiontrail20200706==2.6.0"],
             vpc: ["alibabacloud_vpc20160428", "alibabacloud-vpc20160428==7.2.2"] };
const GO = { ecs: "github.com/alibabacloud-go/ecs-20140526/v7/client", ram: "github.com/alibabacloud-go/ram-20150501/v2/client",
             sts: "github.com/alibabacloud-go/sts-20150401/v2/client", actiontrail: "github.com/alibabacloud-go/actiontrail-20200706/v3/client",
             vpc: "github.com/alibabacloud-go/vpc-20160428/v6/client" };
const pyStr = (s) => JSON.stringify(s);
function formValues(spec) {
  const flat = {};     // wire parameters
  const typed = [];    // [param spec, value] for the typed SDKs
  for (const p of spec.Params) {
    const el = document.getElementById("f-" + p.Name);
    if (!el) continue;
    const raw = el.value.trim();
    if (!raw) continue;
    if (p.Kind === "tags") {
      const items = raw.split("\n").map((l) => l.trim()).filter(Boolean).map((l) => { const [k, ...v] = l.split("="); return [k, v.join("=")]; });
      items.forEach(([k, v], i) => { flat[`${p.Name}.${i + 1}.Key`] = k; flat[`${p.Name}.${i + 1}.Value`] = v; });
      typed.push([p, items]);
    } else if (p.Kind === "repeatList") {
      const items = raw.split(/[\n,]+/).map((x) => x.trim()).filter(Boolean);
      items.forEach((v, i) => { flat[`${p.Name}.${i + 1}`] = v; });
      typed.push([p, items]);
    } else {
      flat[p.Name] = raw;
      typed.push([p, raw]);
    }
  }
  return { flat, typed };
}
function pyValue(p, v, product, action) {
  if (p.Kind === "integer") return product === "actiontrail" ? pyStr(v) : String(parseInt(v, 10));
  if (p.Kind === "boolean") return /^true$/i.test(v) ? "True" : "False";
  if (p.Kind === "repeatList") return "[" + v.map(pyStr).join(", ") + "]";
  if (p.Kind === "tags") {
    const cls = `models.${action}Request${p.Name === "Tag" ? "Tag" : p.Name}`;
    return "[" + v.map(([k, val]) => `${cls}(key=${pyStr(k)}, value=${pyStr(val)})`).join(", ") + "]";
  }
  return pyStr(v);
}
function generated(spec, values) {
  const product = spec.Product, [mod, pin] = PY[product];
  const args = values.typed.map(([p, v]) => `${snake(p.Name)}=${pyValue(p, v, product, spec.Name)}`).join(", ");
  const endpoint = location.host, ak = state.cred.ak;
  const tokenArg = state.cred.token ? `, security_token=${pyStr(state.cred.token)}` : "";
  const python = `# pip install ${pin}
import json
from ${mod}.client import Client
from ${mod} import models
from alibabacloud_tea_openapi import utils_models as open_api_models

client = Client(open_api_models.Config(
    access_key_id=${pyStr(ak)}, access_key_secret=${pyStr(state.cred.secret)}${tokenArg},
    endpoint=${pyStr(endpoint)}, protocol="http", region_id=${pyStr(state.region)}))
response = client.${snake(spec.Name)}(models.${spec.Name}Request(${args}))
print(json.dumps(response.body.to_map(), indent=2))
`;
  const adds = Object.entries(values.flat).map(([k, v]) => `request.add_query_param(${pyStr(k)}, ${pyStr(v)})`).join("\n");
  // STS credentials: aliyun-python-sdk-core takes the token only through StsTokenCredential.
  const commonClient = state.cred.token
    ? `from aliyunsdkcore.auth.credentials import StsTokenCredential

client = AcsClient(region_id=${pyStr(state.region)}, credential=StsTokenCredential(
    ${pyStr(ak)}, ${pyStr(state.cred.secret)}, ${pyStr(state.cred.token)}))`
    : `
client = AcsClient(${pyStr(ak)}, ${pyStr(state.cred.secret)}, ${pyStr(state.region)})`;
  const common = `# pip install aliyun-python-sdk-core==2.16.1
from aliyunsdkcore.client import AcsClient
from aliyunsdkcore.request import CommonRequest
${commonClient}
request = CommonRequest(domain=${pyStr(endpoint)}, version=${pyStr(spec.Version)}, action_name=${pyStr(spec.Name)})
request.set_method("POST")
request.set_protocol_type("http")
request.set_accept_format("JSON")
${adds}
print(client.do_action_with_exception(request).decode())
`;
  const goField = (p, v) => {
    const name = p.Name;
    if (p.Kind === "integer") return `${name}: tea.Int32(${parseInt(v, 10)})`;
    if (p.Kind === "boolean") return `${name}: tea.Bool(${/^true$/i.test(v)})`;
    if (p.Kind === "repeatList") return `${name}: tea.StringSlice([]string{${v.map(pyStr).join(", ")}})`;
    if (p.Kind === "tags") return `${name}: []*client.${spec.Name}Request${name}{${v.map(([k, val]) => `{Key: tea.String(${pyStr(k)}), Value: tea.String(${pyStr(val)})}`).join(", ")}}`;
    return `${name}: tea.String(${pyStr(v)})`;
  };
  const go = `package main

import (
\t"fmt"

\topenapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
\t"github.com/alibabacloud-go/tea/tea"
\tclient "${GO[product]}"
)

func main() {
\tc, err := client.NewClient(&openapi.Config{
\t\tAccessKeyId: tea.String(${pyStr(ak)}), AccessKeySecret: tea.String(${pyStr(state.cred.secret)}),${state.cred.token ? ` SecurityToken: tea.String(${pyStr(state.cred.token)}),` : ""}
\t\tEndpoint: tea.String(${pyStr(endpoint)}), Protocol: tea.String("HTTP"), RegionId: tea.String(${pyStr(state.region)}),
\t})
\tif err != nil { panic(err) }
\tresp, err := c.${spec.Name}(&client.${spec.Name}Request{
\t\t${values.typed.map(([p, v]) => goField(p, v)).join(",\n\t\t")}${values.typed.length ? "," : ""}
\t})
\tif err != nil { panic(err) }
\tfmt.Println(resp.Body)
}
`;
  const shq = (s) => "'" + String(s).replace(/'/g, "'\\''") + "'";
  const cli = `aliyun ${product} ${spec.Name} --endpoint ${endpoint} --access-key-id ${ak} --access-key-secret ${shq(state.cred.secret)}${state.cred.token ? ` --mode StsToken --sts-token ${shq(state.cred.token)}` : ""} --region ${state.region} --version ${spec.Version} --force ` +
    Object.entries(values.flat).map(([k, v]) => `--${k} ${shq(v)}`).join(" ");
  return { python, common, go, cli };
}
function ramTable(ram) {
  return h("table", { class: "ram", id: "ram-table" },
    h("thead", {}, h("tr", {}, ["Action", "Access level", "Resource type", "Condition key", "Dependent action"].map((x) => h("th", {}, x)))),
    h("tbody", {}, h("tr", {}, h("td", {}, ram.Action), h("td", {}, ram.AccessLevel),
      h("td", {}, ram.ResourceTypes.map((r) => h("div", {}, h("b", {}, (r.Required ? "*" : "") + r.Name), " ", h("code", {}, r.ARN)))),
      h("td", {}, ram.ConditionKeys.join(", ") || "None"), h("td", {}, ram.DependentActions.join(", ") || "None"))));
}
async function renderExplorer(box) {
  if (!state.declarations) state.declarations = (await (await fetch("/_localecs/actions")).json()).Actions;
  const select = h("select", { id: "action-select" }, state.declarations.map((a) => h("option", { value: a.Product + "/" + a.Name }, `${a.Product.toUpperCase()} ${a.Name}`)));
  const pane = h("div", { id: "action-pane" });
  const show = () => {
    const spec = state.declarations.find((a) => a.Product + "/" + a.Name === select.value);
    const fields = spec.Params.map((p) => {
      const hint = [p.Kind, p.Required ? "required" : "", p.MaxLength ? `≤ ${p.MaxLength} chars` : "",
        p.Min !== undefined ? `${p.Min}–${p.Max}` : "", p.MaxItems ? `≤ ${p.MaxItems} items` : "",
        p.Kind === "jsonStringArray" ? 'JSON array, e.g. ["i-…"]' : "", p.Kind === "tags" ? "one key=value a line" : "",
        p.Kind === "repeatList" ? "one a line" : ""].filter(Boolean).join(", ");
      const input = p.Kind === "tags" || p.Kind === "repeatList" || p.Kind === "jsonStringArray"
        ? h("textarea", { id: "f-" + p.Name, rows: 2 })
        : p.Kind === "boolean" ? h("select", { id: "f-" + p.Name }, h("option", { value: "" }, ""), h("option", {}, "true"), h("option", {}, "false"))
        : h("input", { id: "f-" + p.Name, value: p.Name === "RegionId" ? state.region : "" });
      return h("label", { class: "field" }, h("span", {}, p.Name + (p.Required ? " *" : "")), input, h("small", {}, hint));
    });
    const out = h("div", { id: "call-result" });
    const code = h("div", { id: "code" });
    const showCode = () => {
      const g = generated(spec, formValues(spec));
      code.replaceChildren(...[["Python (" + PY[spec.Product][0] + ")", g.python, "code-python"], ["Python (aliyun-python-sdk-core CommonRequest)", g.common, "code-common"],
        ["Go", g.go, "code-go"], ["aliyun CLI", g.cli, "code-cli"]].map(([t, c, id]) => h("details", { open: id === "code-python" }, h("summary", {}, t), h("pre", { id }, c))));
    };
    pane.replaceChildren(h("h3", {}, `${spec.Name} (${spec.Product} ${spec.Version})`), h("h4", {}, "RAM authorization"), ramTable(spec.RAM),
      h("form", { id: "action-form", oninput: showCode, onsubmit: (ev) => {
        ev.preventDefault();
        guarded(async () => {
          const r = await LocalECSSigner.rpcCall(state.cred, spec.Version, spec.Name, formValues(spec).flat);
          out.replaceChildren(h("p", { id: "call-meta" }, `HTTP ${r.status} · RequestId ${r.requestId || "—"} · ${r.ms} ms`),
            h("pre", { id: "call-response" }, typeof r.body === "object" ? JSON.stringify(r.body, null, 2) : r.text));
          showCode();
        });
      } }, fields, h("button", { id: "call", type: "submit" }, "Call")), out, h("h4", {}, "Code for these parameters"), code);
    showCode();
  };
  select.addEventListener("change", show);
  box.replaceChildren(h("div", { class: "toolbar" }, "Action ", select), pane);
  select.value = "ecs/DescribeKeyPairs";
  show();
}

// ---------------------------------------------------------------- audit trail
async function renderTrail(box) {
  const key = $("#trail-key") ? $("#trail-key").value : "EventName";
  const value = $("#trail-value") ? $("#trail-value").value.trim() : "";
  const token = box.dataset.token || "";
  const params = { MaxResults: 50 };
  if (value) { params["LookupAttribute.1.Key"] = key; params["LookupAttribute.1.Value"] = value; }
  if (token) params.NextToken = token;
  const body = await api("actiontrail", "LookupEvents", params);
  const detail = h("pre", { id: "event-json" });
  const rows = body.Events.map((e) => [e.eventTime, e.eventName, e.serviceName, e.userIdentity.userName, e.sourceIpAddress,
    e.errorCode || "OK", h("button", { onclick: () => { detail.textContent = JSON.stringify(e, null, 2); } }, "JSON")]);
  box.replaceChildren(
    h("div", { class: "toolbar" }, "Filter ",
      h("select", { id: "trail-key" }, ["EventName", "EventRW", "ResourceName", "ResourceType", "User", "EventAccessKeyId", "ServiceName"].map((k) => h("option", { selected: k === key }, k))),
      h("input", { id: "trail-value", value }),
      h("button", { id: "trail-apply", onclick: () => { delete box.dataset.token; guarded(() => renderTrail(box)); } }, "Apply"),
      body.NextToken ? h("button", { id: "trail-more", onclick: () => { box.dataset.token = body.NextToken; guarded(() => renderTrail(box)); } }, "Older") : null),
    table(["Time", "Event", "Service", "User", "Source IP", "Result", ""], rows, "No events in this range."), detail);
}

// ---------------------------------------------------------------- shell
const TABS = { keypairs: ["Key pairs", renderKeyPairs, true], instances: ["Instances", renderInstances, true], ram: ["RAM", renderRAM, false],
               explorer: ["API explorer", renderExplorer, false], trail: ["Audit trail", renderTrail, false] };
async function refresh(clear = true) {
  const box = $("#view");
  if (!box || !state.cred) return;
  if (clear) banner("");
  try { await TABS[state.tab][1](box); } catch (e) {
    banner(e.message);
    if (clear) box.replaceChildren(h("p", { class: "empty" }, "Could not load: " + e.message));
  }
}
function render() {
  clearInterval(state.timer);
  $("#who").textContent = state.cred ? `${state.cred.ak} · ${state.region}` : "";
  $("#signout").hidden = !state.cred;
  if (!state.cred) return renderSignIn();
  const nav = h("nav", {}, Object.entries(TABS).map(([id, [label]]) =>
    h("button", { id: "tab-" + id, class: id === state.tab ? "active" : "", onclick: () => { state.tab = id; state.created = null; render(); } }, label)));
  $("#main").replaceChildren(nav, h("div", { id: "view" }));
  refresh();
  // Resource views stay current without reloading; forms typed into are left alone.
  if (TABS[state.tab][2]) state.timer = setInterval(() => {
    if (!document.activeElement || !["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement.tagName)) refresh(false);
  }, 2000);
}
document.addEventListener("DOMContentLoaded", () => {
  $("#signout").addEventListener("click", () => { sessionStorage.clear(); state.cred = null; state.created = null; banner(""); render(); });
  render();
});
"""#
}

/// The console's files, served from memory at `/console/…` (no CDN, no build step): plain HTML,
/// CSS and JavaScript. The page signs every API call itself (`signer.js`), so the server never
/// signs for anyone and RAM applies to the console as to any SDK.
enum ConsoleAssets {
    static let files: [String: (type: String, body: String)] = [
        "index.html": ("text/html; charset=utf-8", indexHTML),
        "style.css": ("text/css; charset=utf-8", styleCSS),
        "signer.js": ("text/javascript; charset=utf-8", signerJS),
        "app.js": ("text/javascript; charset=utf-8", appJS),
    ]

    static let indexHTML = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>LocalECS console</title>
<link rel="stylesheet" href="/console/style.css">
<script src="/console/signer.js"></script>
<script src="/console/app.js"></script>
</head>
<body>
<header><h1>LocalECS</h1><span id="who"></span><button id="signout" hidden>Sign out</button></header>
<div id="banner" class="banner" hidden></div>
<main id="main"></main>
</body>
</html>
"""#

    static let styleCSS = #"""
body { font: 14px/1.4 system-ui, sans-serif; margin: 0; color: #1d2329; background: #f5f6f8; }
header { display: flex; align-items: center; gap: 1em; padding: .6em 1.2em; background: #232f3e; color: #fff; }
header h1 { font-size: 1.2em; margin: 0; flex: 1; }
main { padding: 1em 1.2em; }
nav { display: flex; gap: .3em; margin-bottom: 1em; }
nav button.active { background: #ff6a00; color: #fff; border-color: #ff6a00; }
button { padding: .3em .8em; border: 1px solid #b9c0c8; background: #fff; border-radius: 3px; cursor: pointer; margin: 0 .15em; }
button.danger { color: #b42318; }
input, select, textarea { padding: .3em; border: 1px solid #b9c0c8; border-radius: 3px; font: inherit; }
table { border-collapse: collapse; background: #fff; width: 100%; margin: .5em 0; }
th, td { text-align: left; padding: .35em .6em; border-bottom: 1px solid #e3e6ea; vertical-align: top; }
th { background: #eef0f3; }
.card { background: #fff; max-width: 28em; padding: 1em 1.5em; border-radius: 4px; }
.card label { display: block; margin: .6em 0; }
.card input { display: block; width: 100%; box-sizing: border-box; }
.toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: .4em; margin: .5em 0; }
.banner { padding: .6em 1.2em; }
.banner.error { background: #fde8e7; color: #b42318; }
.notice { background: #e7f5ea; padding: .5em; }
.empty, .muted { color: #69727d; }
.status.Running { color: #067647; font-weight: 600; }
.status.Stopped { color: #69727d; }
.status.Pending, .status.Starting, .status.Stopping { color: #b54708; }
.field { display: grid; grid-template-columns: 12em 24em auto; gap: .6em; align-items: center; margin: .3em 0; }
.field small { color: #69727d; }
pre { background: #1d2329; color: #e3e6ea; padding: .8em; overflow: auto; border-radius: 4px; max-height: 30em; }
table.ram code { font-size: 12px; }
"""#
}

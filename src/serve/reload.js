// fanzine serve: live reload. The preview server injects this into HTML pages; a built site never contains it.
// One event stream per page. Each "state" event says which build the server now shows and whether the last build
// failed: a newer build reloads the page (keeping the scroll position), a stylesheet-only change swaps the CSS in
// place, and a failure shows an overlay over the last good page (or says nothing was built yet) until the next good
// build.
(function () {
  var script = document.currentScript;
  var version = Number(script.dataset.version);
  var key = "fanzine-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    var y = Number(saved);
    window.scrollTo(0, y);
    window.addEventListener("load", function () { window.scrollTo(0, y); });
  }

  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }

  function swapStylesheets(v) {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href, location.href);
      url.searchParams.set("fanzine", String(v));
      link.href = url.toString();
    });
  }

  function where(location) {
    if (!location) return "";
    var text = location.file;
    if (location.line) text += ":" + location.line;
    if (location.line && location.column) text += ":" + location.column;
    return text;
  }

  function element(tag, part, text) {
    var node = document.createElement(tag);
    if (part) node.className = part;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The overlay lives in a shadow root, so the site's CSS (for code, a, li...) cannot reach it; the host carries
  // its own position with !important. Escape or the close button hide it until the next build event, one with a
  // different build number. The copy the server rendered into the page is replaced at once.
  var shown = null, dismissed = null;

  function hide() {
    var old = document.getElementById("__fanzine-overlay");
    if (old) old.remove();
    shown = null;
  }

  function dismiss() {
    dismissed = shown;
    hide();
  }

  // Built with textContent only: a message quoting the author's HTML is shown, never interpreted.
  function overlay(state) {
    if (!state.errors.length || state.build === dismissed) return hide();
    if (state.build === shown && document.getElementById("__fanzine-overlay")) return;
    hide();
    var host = document.createElement("div");
    host.id = "__fanzine-overlay";
    host.setAttribute("role", "alert");
    host.style.cssText = script.dataset.host;
    var root = host.attachShadow({ mode: "open" });
    var style = document.createElement("style");
    style.textContent = script.dataset.css;
    root.appendChild(style);
    var box = element("div", "box");
    var close = element("button", "close", "Close (Esc)");
    close.type = "button";
    close.setAttribute("aria-label", "Close the error overlay");
    close.addEventListener("click", dismiss);
    box.appendChild(close);
    box.appendChild(element("strong", "title",
      state.built ? "Build failed: showing the last good build" : "Build failed: nothing built yet"));
    var list = element("ul", "list");
    state.errors.forEach(function (e) {
      var item = element("li", "item");
      if (e.location) {
        var at = e.link ? element("a", "link", where(e.location)) : element("code", "at", where(e.location));
        if (e.link) at.href = e.link;
        item.appendChild(at);
        item.appendChild(document.createTextNode(" "));
      }
      item.appendChild(document.createTextNode(e.message));
      if (e.hint) item.appendChild(element("div", "hint", "help: " + e.hint));
      list.appendChild(item);
    });
    box.appendChild(list);
    root.appendChild(box);
    // First in the page, so that Tab reaches the close button before the site's own links.
    document.body.insertBefore(host, document.body.firstChild);
    shown = state.build;
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && shown !== null) dismiss();
  });

  if (script.dataset.state) overlay(JSON.parse(script.dataset.state));

  var source = new EventSource(script.dataset.events);
  // Exposed so that tests (and curious authors) can see whether the page is listening: readyState 1 is open.
  window.__fanzineEvents = source;
  source.addEventListener("state", function (message) {
    var state = JSON.parse(message.data);
    overlay(state);
    if (state.version === version) return;
    if (state.css_only && state.from === version) {
      swapStylesheets(state.version);
      version = state.version;
      return;
    }
    reload();
  });
})();

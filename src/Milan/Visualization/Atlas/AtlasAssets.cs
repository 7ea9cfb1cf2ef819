namespace Milan.Visualization.Atlas;

/// <summary>
/// The atlas's style sheet and script, written beside its pages (no CDN, no fetch: everything works
/// from file://). The script reads the search index (<see cref="AtlasIndex"/>) and, on the start page,
/// lists the units whose text matches every word typed (each a prefix of some word of the model,
/// layer, description or annotations, case-insensitive); on a layer page it filters the grid the same
/// way (and its link to the start page carries the words). <c>?q=words</c> in the address fills the box. When the page's images have loaded it records
/// how many decoded on the body (<c>data-images="decoded/total"</c>) and the number of matches on the
/// results (<c>data-matches</c>), which is how a headless browser checks a page.
/// </summary>
public static class AtlasAssets
{
    public const string Css = """
        body { font-family: system-ui, sans-serif; margin: 0 1.5em 2em; color: #1d1d1f; background: #fafafa; }
        header { padding: .8em 0 .4em; border-bottom: 1px solid #ddd; margin-bottom: 1em; }
        header .crumbs a { color: #0b57d0; text-decoration: none; }
        nav.layers { margin-top: .4em; display: flex; flex-wrap: wrap; gap: .3em; }
        nav.layers a, nav.layers span { padding: .15em .6em; border: 1px solid #ccc; border-radius: 1em; text-decoration: none; color: #0b57d0; }
        nav.layers span.current { background: #0b57d0; color: white; border-color: #0b57d0; }
        input#search { font-size: 1.05em; padding: .35em .6em; width: min(36em, 90%); }
        #count { color: #555; margin: .4em 0; }
        .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: .6em; }
        .unit { display: block; background: white; border: 1px solid #ddd; border-radius: 6px; padding: .3em; color: inherit; text-decoration: none; }
        .unit:hover { border-color: #0b57d0; }
        .unit img { width: 100%; display: block; }
        .unit .id { font-weight: 600; font-size: .9em; display: block; margin-top: .2em; }
        .unit .where { color: #666; font-size: .8em; }
        .unit .text { font-size: .85em; display: block; }
        .unit .text.annotation { font-style: italic; color: #555; }
        .hidden { display: none; }
        img.sheet { width: 100%; max-width: 1140px; border: 1px solid #ddd; }   /* small exemplars (the tiny world's 32 px) are scaled up */
        table { border-collapse: collapse; }
        td, th { padding: .2em .6em; border-bottom: 1px solid #eee; text-align: left; }
        .missing { color: #888; }
        .pager a { margin-right: 1em; }
        """;

    public const string Script = """
        (function () {
          "use strict";
          var atlas = window.MILAN_ATLAS || { layers: [], units: [] };
          var body = document.body;
          var root = body.getAttribute("data-root") || "";
          var input = document.getElementById("search");
          var count = document.getElementById("count");
          var limit = 300;

          function words(text) { return (text || "").toLowerCase().match(/[\p{L}\p{N}]+/gu) || []; }
          function unitWords(unit) {
            if (!unit.w) unit.w = words([unit.m, unit.l, "unit", String(unit.u), unit.d || ""].concat(unit.a).join(" "));
            return unit.w;
          }
          function matches(query, unit) {
            var have = unitWords(unit);
            return query.every(function (q) { return have.some(function (w) { return w.lastIndexOf(q, 0) === 0; }); });
          }
          function element(tag, className, text) {
            var e = document.createElement(tag);
            if (className) e.className = className;
            if (text !== undefined) e.textContent = text;
            return e;
          }
          function card(unit) {
            var a = element("a", "unit");
            a.href = root + unit.p;
            var img = element("img");
            img.src = root + unit.t;
            img.alt = unit.m + " " + unit.l + " unit " + unit.u;
            a.appendChild(img);
            a.appendChild(element("span", "id", "unit " + unit.u));
            a.appendChild(element("span", "where", unit.m + " \u00b7 " + unit.l));
            if (unit.d) a.appendChild(element("span", "text", unit.d));
            else if (unit.a.length) a.appendChild(element("span", "text annotation", unit.a[0]));
            return a;
          }
          function reportImages() {
            var images = Array.prototype.slice.call(document.images);
            Promise.all(images.map(function (img) { return img.decode().then(function () { return 1; }, function () { return 0; }); }))
              .then(function (decoded) {
                var n = decoded.reduce(function (s, x) { return s + x; }, 0);
                body.setAttribute("data-images", n + "/" + images.length);
              });
          }
          function say(n, query) {
            if (!count) return;
            count.setAttribute("data-matches", String(n));
            count.textContent = query.length ? n + (n === 1 ? " unit matches" : " units match") + " \u201c" + query.join(" ") + "\u201d" : "";
          }
          function searchAll() {
            var query = words(input.value);
            var results = document.getElementById("results");
            results.textContent = "";
            if (!query.length) { say(0, query); reportImages(); return; }
            var found = atlas.units.filter(function (u) { return matches(query, u); });
            say(found.length, query);
            found.slice(0, limit).forEach(function (u) { results.appendChild(card(u)); });
            if (found.length > limit) results.appendChild(element("p", "missing", "first " + limit + " shown"));
            reportImages();
          }
          function filterLayer() {
            var query = words(input.value);
            var shown = 0;
            Array.prototype.forEach.call(document.querySelectorAll(".grid .unit"), function (a) {
              var unit = atlas.units[Number(a.getAttribute("data-i"))];
              var keep = !query.length || (unit && matches(query, unit));
              a.classList.toggle("hidden", !keep);
              if (keep) shown++;
            });
            say(shown, query);
            var all = document.getElementById("search-all");
            if (all) all.href = root + "index.html" + (query.length ? "?q=" + encodeURIComponent(query.join(" ")) : "");
          }
          var page = body.getAttribute("data-page");
          if (input) {
            var q = new URLSearchParams(window.location.search).get("q");
            if (q) input.value = q;
            var run = page === "layer" ? filterLayer : searchAll;
            input.addEventListener("input", run);
            run();
          }
          if (page !== "index") window.addEventListener("load", reportImages);
        })();
        """;
}

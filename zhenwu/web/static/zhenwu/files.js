/* Every file input speaks Chinese: the browser's own button ("Choose File", "No file chosen") speaks the
   browser's language, so each plain <input type=file> gets the page's own button (a label, which opens the
   picker even without this script's later help) and the chosen files' names beside it. The native input stays
   in the form, focusable for the browser's "required" message, but invisible. Inputs already inside a picker of
   their own (.photo-pick, .photo-button) are left alone. The words come from <body data-file-*> (gettext). */
(function () {
  "use strict";
  var body = document.body;
  var choose = body.getAttribute("data-file-choose") || "";
  var chooseMany = body.getAttribute("data-file-choose-many") || choose;
  var none = body.getAttribute("data-file-none") || "";
  var made = 0;

  function names(input) {
    return Array.prototype.map.call(input.files || [], function (f) { return f.name; }).join("、");
  }

  function enhance(input) {
    if (input.closest(".photo-pick, .photo-button") || input.hasAttribute("data-file-enhanced")) { return; }
    input.setAttribute("data-file-enhanced", "");
    if (!input.id) { made += 1; input.id = "file-input-" + made; }
    var wrap = document.createElement("span");
    wrap.className = "photo-pick";
    var button = document.createElement("label");
    button.className = "button secondary";
    button.htmlFor = input.id;
    button.textContent = input.multiple ? chooseMany : choose;
    var shown = document.createElement("span");
    shown.className = "small muted";
    shown.setAttribute("data-file-name", "");
    shown.setAttribute("aria-live", "polite");
    shown.textContent = none;
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(button);
    wrap.appendChild(input);
    wrap.appendChild(shown);
    input.addEventListener("change", function () { shown.textContent = names(input) || none; });
  }

  function scan(root) {
    root.querySelectorAll("input[type=file]").forEach(enhance);
  }

  scan(document);
  document.addEventListener("htmx:afterSwap", function (event) { scan(event.target); });
})();

// The SMS template editor: as the editor types, the preview is filled in with the sample
// values and its length counted in SMS parts (notifications/widgets/sms_text.html).
// Placeholders are filled in one pass: a sample value is never read as a placeholder.
(function () {
  "use strict";
  var PERSIAN = "۰۱۲۳۴۵۶۷۸۹";

  function persianDigits(number) {
    return String(number).replace(/[0-9]/g, function (digit) {
      return PERSIAN[Number(digit)];
    });
  }

  function parts(text) {
    var length = text.length;
    if (!length) {
      return [0, 0];
    }
    // Persian text travels as UCS-2 (70 a message, 67 a part), Latin as GSM-7 (160, 153).
    var latin = /^[\x00-\x7f]*$/.test(text);
    var single = latin ? 160 : 70;
    var multi = latin ? 153 : 67;
    return [length, length <= single ? 1 : Math.ceil(length / multi)];
  }

  function fill(text, samples) {
    return text.replace(/\{([^{}]*)\}/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(samples, name) ? samples[name] : whole;
    });
  }

  function wire(box) {
    var area = document.getElementById(box.getAttribute("data-sms-for"));
    if (!area || box.hasAttribute("data-sms-wired")) {
      return;
    }
    box.setAttribute("data-sms-wired", "");
    var count = box.querySelector("[data-sms-count]");
    var preview = box.querySelector("[data-sms-preview]");
    var samples = JSON.parse(box.getAttribute("data-samples") || "{}");
    var template = box.getAttribute("data-count-text") || "";
    function update() {
      var filled = fill(area.value.trim(), samples);
      var counted = parts(filled);
      if (count) {
        count.textContent = template
          .replace("%(length)s", persianDigits(counted[0]))
          .replace("%(parts)s", persianDigits(counted[1]));
      }
      if (preview) {
        preview.textContent = filled;
      }
    }
    area.addEventListener("input", update);
  }

  function init() {
    document.querySelectorAll("[data-sms-for]").forEach(wire);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

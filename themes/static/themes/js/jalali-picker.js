/* A small Jalali date picker for the admin's date inputs (themes/widgets.py).
 *
 * The text input stays the source of truth: editors may type «۱۴۰۵/۰۹/۱۰» in any digits
 * and the server reads it. The button opens a month grid (a dialog, keyboard usable:
 * arrows move the day, Page Up/Down the month, Enter picks, Escape closes). Calendar
 * arithmetic after the jalaali-js algorithm (Borkowski's breaks).
 */
(function () {
  "use strict";
  var MONTHS = ["فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور", "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند"];
  var WEEKDAYS = ["ش", "ی", "د", "س", "چ", "پ", "ج"];
  var WEEKDAY_NAMES = ["شنبه", "یکشنبه", "دوشنبه", "سه‌شنبه", "چهارشنبه", "پنجشنبه", "جمعه"];
  var BREAKS = [-61, 9, 38, 199, 426, 686, 756, 818, 1111, 1181, 1210, 1635, 2060, 2097, 2192, 2262, 2324, 2394, 2456, 3178];

  function div(a, b) { return ~~(a / b); }
  function mod(a, b) { return a - ~~(a / b) * b; }
  function jalCal(jy) {
    var gy = jy + 621, leapJ = -14, jp = BREAKS[0], jm, jump = 0, n, leap, leapG, i;
    for (i = 1; i < BREAKS.length; i += 1) {
      jm = BREAKS[i]; jump = jm - jp;
      if (jy < jm) break;
      leapJ = leapJ + div(jump, 33) * 8 + div(mod(jump, 33), 4);
      jp = jm;
    }
    n = jy - jp;
    leapJ = leapJ + div(n, 33) * 8 + div(mod(n, 33) + 3, 4);
    if (mod(jump, 33) === 4 && jump - n === 4) leapJ += 1;
    leapG = div(gy, 4) - div((div(gy, 100) + 1) * 3, 4) - 150;
    if (jump - n < 6) n = n - jump + div(jump + 4, 33) * 33;
    leap = mod(mod(n + 1, 33) - 1, 4);
    if (leap === -1) leap = 4;
    return { leap: leap, gy: gy, march: 20 + leapJ - leapG };
  }
  function g2d(gy, gm, gd) {
    var d = div((gy + div(gm - 8, 6) + 100100) * 1461, 4) + div(153 * mod(gm + 9, 12) + 2, 5) + gd - 34840408;
    return d - div(div(gy + 100100 + div(gm - 8, 6), 100) * 3, 4) + 752;
  }
  function d2g(jdn) {
    var j = 4 * jdn + 139361631, i, gm;
    j = j + div(div(4 * jdn + 183187720, 146097) * 3, 4) * 4 - 3908;
    i = div(mod(j, 1461), 4) * 5 + 308;
    gm = mod(div(i, 153), 12) + 1;
    return { gy: div(j, 1461) - 100100 + div(8 - gm, 6), gm: gm, gd: div(mod(i, 153), 5) + 1 };
  }
  function j2d(jy, jm, jd) {
    var r = jalCal(jy);
    return g2d(r.gy, 3, r.march) + (jm - 1) * 31 - div(jm, 7) * (jm - 7) + jd - 1;
  }
  function d2j(jdn) {
    var gy = d2g(jdn).gy, jy = gy - 621, r = jalCal(jy), k = jdn - g2d(gy, 3, r.march);
    if (k >= 0) {
      if (k <= 185) return { jy: jy, jm: 1 + div(k, 31), jd: mod(k, 31) + 1 };
      k -= 186;
    } else {
      jy -= 1; k += 179;
      if (r.leap === 1) k += 1;
    }
    return { jy: jy, jm: 7 + div(k, 30), jd: mod(k, 30) + 1 };
  }
  function monthLength(jy, jm) {
    if (jm <= 6) return 31;
    if (jm <= 11) return 30;
    return jalCal(jy).leap === 0 ? 30 : 29;
  }
  function faDigits(text) {
    return String(text).replace(/[0-9]/g, function (d) { return "۰۱۲۳۴۵۶۷۸۹"[d]; });
  }
  function asciiDigits(text) {
    return String(text).replace(/[۰-۹]/g, function (d) { return d.charCodeAt(0) - 0x06f0; })
      .replace(/[٠-٩]/g, function (d) { return d.charCodeAt(0) - 0x0660; });
  }
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function todayJalali() {
    var now = new Date();
    return d2j(g2d(now.getFullYear(), now.getMonth() + 1, now.getDate()));
  }
  function parse(text) {
    var m = /^\s*(\d{4})\s*[\/\-.]\s*(\d{1,2})\s*[\/\-.]\s*(\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?/.exec(asciiDigits(text || ""));
    if (!m || +m[1] < 1300 || +m[1] >= 1500 || +m[2] < 1 || +m[2] > 12) return null;
    return { jy: +m[1], jm: +m[2], jd: Math.min(+m[3], monthLength(+m[1], +m[2])), time: m[4] ? pad(+m[4]) + ":" + m[5] : null };
  }
  var counter = 0;

  function setUp(root) {
    if (root.dataset.jalaliReady) return;
    var input = root.querySelector("input");
    var open = root.querySelector("[data-jalali-open]");
    // While the page is still being parsed (a slow connection, a busy machine) the
    // observer below can see the wrapper before its input and button: wait for them.
    if (!input || !open) return;
    root.dataset.jalaliReady = "1";
    var withTime = root.hasAttribute("data-jalali-with-time");
    var id = "jalali-picker-" + (counter += 1);
    var dialog = document.createElement("div");
    dialog.className = "jalali-picker";
    dialog.id = id;
    dialog.hidden = true;
    dialog.setAttribute("role", "dialog");
    dialog.setAttribute("aria-modal", "false");
    dialog.setAttribute("aria-label", open.textContent.trim());
    dialog.innerHTML =
      '<div class="jalali-picker__head">' +
      '<button type="button" class="jalali-picker__nav" data-step="-1" aria-label="ماه پیش">›</button>' +
      '<h2 class="jalali-picker__title" aria-live="polite"></h2>' +
      '<button type="button" class="jalali-picker__nav" data-step="1" aria-label="ماه بعد">‹</button>' +
      "</div>" +
      '<table class="jalali-picker__grid" role="grid"><thead><tr></tr></thead><tbody></tbody></table>' +
      '<div class="jalali-picker__foot"><button type="button" class="button button-small button-secondary" data-today>امروز</button>' +
      '<button type="button" class="button button-small button-secondary" data-close>بستن</button></div>';
    root.appendChild(dialog);
    open.setAttribute("aria-controls", id);
    var head = dialog.querySelector("thead tr");
    WEEKDAYS.forEach(function (day, i) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = day;
      th.title = WEEKDAY_NAMES[i];
      th.setAttribute("abbr", WEEKDAY_NAMES[i]);
      head.appendChild(th);
    });
    var shown = null; // { jy, jm }
    var focused = null; // { jy, jm, jd }

    function render() {
      dialog.querySelector(".jalali-picker__title").textContent = MONTHS[shown.jm - 1] + " " + faDigits(shown.jy);
      var body = dialog.querySelector("tbody");
      body.innerHTML = "";
      var first = j2d(shown.jy, shown.jm, 1);
      // Day of the week of the 1st, Saturday = 0 (JDN mod 7: Monday = 0).
      var offset = mod(first + 2, 7);
      var length = monthLength(shown.jy, shown.jm);
      var chosen = parse(input.value);
      var row = document.createElement("tr");
      for (var blank = 0; blank < offset; blank += 1) row.appendChild(document.createElement("td"));
      for (var day = 1; day <= length; day += 1) {
        var cell = document.createElement("td");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "jalali-picker__day";
        button.textContent = faDigits(day);
        button.dataset.day = day;
        button.setAttribute("aria-label", faDigits(day) + " " + MONTHS[shown.jm - 1] + " " + faDigits(shown.jy));
        var isChosen = chosen && chosen.jy === shown.jy && chosen.jm === shown.jm && chosen.jd === day;
        if (isChosen) button.setAttribute("aria-pressed", "true");
        button.tabIndex = focused.jd === day ? 0 : -1;
        cell.appendChild(button);
        row.appendChild(cell);
        if ((offset + day) % 7 === 0) { body.appendChild(row); row = document.createElement("tr"); }
      }
      if (row.children.length) body.appendChild(row);
    }
    function focusDay() {
      var button = dialog.querySelector('[data-day="' + focused.jd + '"]');
      if (button) button.focus();
    }
    function moveMonth(step) {
      var jm = shown.jm + step, jy = shown.jy;
      if (jm < 1) { jm = 12; jy -= 1; }
      if (jm > 12) { jm = 1; jy += 1; }
      shown = { jy: jy, jm: jm };
      focused = { jy: jy, jm: jm, jd: Math.min(focused.jd, monthLength(jy, jm)) };
      render();
    }
    function show() {
      var start = parse(input.value) || todayJalali();
      shown = { jy: start.jy, jm: start.jm };
      focused = { jy: start.jy, jm: start.jm, jd: start.jd };
      render();
      dialog.hidden = false;
      open.setAttribute("aria-expanded", "true");
      focusDay();
    }
    function hide(refocus) {
      dialog.hidden = true;
      open.setAttribute("aria-expanded", "false");
      if (refocus) open.focus();
    }
    function pick(jy, jm, jd) {
      var current = parse(input.value);
      var text = jy + "/" + pad(jm) + "/" + pad(jd);
      if (withTime) text += " " + ((current && current.time) || "00:00");
      input.value = faDigits(text);
      input.dispatchEvent(new Event("change", { bubbles: true }));
      hide(true);
    }
    open.addEventListener("click", function () { if (dialog.hidden) show(); else hide(true); });
    dialog.addEventListener("click", function (event) {
      var target = event.target.closest("button");
      if (!target) return;
      if (target.dataset.step) { moveMonth(+target.dataset.step); return; }
      if (target.dataset.day) { pick(shown.jy, shown.jm, +target.dataset.day); return; }
      if (target.hasAttribute("data-today")) { var t = todayJalali(); pick(t.jy, t.jm, t.jd); return; }
      if (target.hasAttribute("data-close")) hide(true);
    });
    dialog.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); hide(true); return; }
      if (!event.target.dataset.day) return;
      var moves = { ArrowLeft: 1, ArrowRight: -1, ArrowDown: 7, ArrowUp: -7 };
      if (event.key in moves) {
        event.preventDefault();
        var jd = focused.jd + moves[event.key];
        if (jd < 1) { moveMonth(-1); focused.jd = monthLength(shown.jy, shown.jm) + jd; render(); }
        else if (jd > monthLength(shown.jy, shown.jm)) { var over = jd - monthLength(shown.jy, shown.jm); moveMonth(1); focused.jd = over; render(); }
        else { focused.jd = jd; render(); }
        focusDay();
      } else if (event.key === "PageUp" || event.key === "PageDown") {
        event.preventDefault();
        moveMonth(event.key === "PageUp" ? -1 : 1);
        focusDay();
      }
    });
  }

  function setUpAll(scope) {
    (scope || document).querySelectorAll("[data-jalali-picker]").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { setUpAll(); });
  else setUpAll();
  // Inputs that appear later (the publishing schedule dialog, inline panels).
  new MutationObserver(function () { setUpAll(); }).observe(document.documentElement, { childList: true, subtree: true });
  window.panjerehJalali = { toJalali: d2j, fromJalali: j2d, gregorianDay: g2d, gregorian: d2g, monthLength: monthLength };
})();

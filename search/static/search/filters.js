// The search filters are a <details> disclosure: folded on phones, so the results come
// first, and unfolded beside the results on wider screens. This script only opens it
// on wide screens (and follows the window's width); without JavaScript it is a plain
// disclosure that the citizen opens.
(function () {
    "use strict";
    var filters = document.getElementById("search-filters");
    if (!filters || !window.matchMedia) {
        return;
    }
    var wide = window.matchMedia("(min-width: 48rem)");
    function follow() {
        filters.open = wide.matches;
    }
    follow();
    if (wide.addEventListener) {
        wide.addEventListener("change", follow);
    }
}());

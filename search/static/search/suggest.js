// Autocomplete for the search box: fills its <datalist> with service titles
// from /api/v1/search/suggest as the citizen types. Without JavaScript the
// box is a plain search field and the form still works.
(function () {
    "use strict";
    var input = document.querySelector("input[data-suggest-url]");
    if (!input || !window.fetch) {
        return;
    }
    var list = document.getElementById(input.getAttribute("list"));
    var url = input.getAttribute("data-suggest-url");
    var timer = null;
    var last = "";

    function show(titles) {
        list.textContent = "";
        titles.forEach(function (title) {
            var option = document.createElement("option");
            option.value = title;
            list.appendChild(option);
        });
    }

    input.addEventListener("input", function () {
        var prefix = input.value.trim();
        clearTimeout(timer);
        if (prefix.length < 2) {
            show([]);
            return;
        }
        timer = setTimeout(function () {
            if (prefix === last) {
                return;
            }
            last = prefix;
            fetch(url + "?q=" + encodeURIComponent(prefix), {headers: {Accept: "application/json"}})
                .then(function (response) { return response.ok ? response.json() : {suggestions: []}; })
                .then(function (data) {
                    if (input.value.trim() === prefix) {
                        show(data.suggestions || []);
                    }
                })
                .catch(function () { show([]); });
        }, 150);
    });
}());

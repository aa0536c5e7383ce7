// "Print or save as PDF": any button with data-print opens the browser's print dialogue.
// A file, not an onclick attribute: the Content Security Policy allows no inline script.
(function () {
    "use strict";
    document.addEventListener("click", function (event) {
        var button = event.target.closest ? event.target.closest("[data-print]") : null;
        if (button) {
            window.print();
        }
    });
}());

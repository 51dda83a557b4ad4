/*  check.js: injected into a copy of a report by tests/test_browser.sh and
    run in headless Chromium inside a frame of the width under test. Finds
    what a reader would see broken, and posts it to the frame's parent as a
    JSON list of problems (empty when the page is sound):
    - a table cell whose content is wider than the cell (text runs over the
      next column);
    - an element that reaches past the right edge of the page, unless it is
      inside a box that scrolls sideways (a wide table in its scroller is
      fine: the page itself does not move);
    - a chart (a figure's svg) that is missing, has no size, or draws
      nothing. */
(function () {
    function scrolls (element) {
        for (var box = element.parentElement; box; box = box.parentElement) {
            var overflow = getComputedStyle (box).overflowX;
            if (overflow === 'auto' || overflow === 'scroll' || overflow === 'hidden')
                return true;
        }
        return false;
    }
    function label (element) {
        var text = (element.textContent || '').replace (/\s+/g, ' ').trim ();
        return element.tagName.toLowerCase ()
             + (element.className && typeof element.className === 'string'
                ? '.' + element.className.replace (/ /g, '.'): '')
             + ' "' + text.slice (0, 60) + '"';
    }
    function check () {
        var problems = [];
        var width = document.documentElement.clientWidth;
        document.querySelectorAll ('td, th').forEach (function (cell) {
            if (cell.scrollWidth > cell.clientWidth + 1)
                problems.push ('cell content ' + cell.scrollWidth + 'px wide in a '
                               + cell.clientWidth + 'px cell: ' + label (cell));
        });
        //  Only the outermost element past the edge: its children follow it
        document.querySelectorAll ('body *').forEach (function (element) {
            var right = element.getBoundingClientRect ().right;
            var parent = element.parentElement;
            if (right > width + 1 && !scrolls (element)
            && !(parent && parent !== document.body
                 && parent.getBoundingClientRect ().right > width + 1))
                problems.push ('past the page edge (' + Math.round (right) + 'px of '
                               + width + 'px): ' + label (element));
        });
        document.querySelectorAll ('figure').forEach (function (figure) {
            var chart = figure.querySelector ('svg');
            var box = chart && chart.getBoundingClientRect ();
            var marks = chart && chart.querySelectorAll ('rect, path, line, circle, polyline, polygon');
            if (!chart)
                problems.push ('chart missing: ' + label (figure));
            else
            if (box.width < 50 || box.height < 20)
                problems.push ('chart ' + Math.round (box.width) + 'x' + Math.round (box.height)
                               + 'px: ' + label (figure));
            else
            if (marks.length === 0)
                problems.push ('chart draws nothing: ' + label (figure));
        });
        var result = { width: width, charts: document.querySelectorAll ('figure svg').length,
                       tables: document.querySelectorAll ('table').length, problems: problems };
        parent.postMessage (JSON.stringify (result), '*');
    }
    window.addEventListener ('load', check);
}) ();

/* The site menu (templates/_site_menu.html) is a <details> element rendered
   open, so that it works without JavaScript. On a narrow screen this folds it
   behind its "Menu" button once the page is read; on a wide one it stays open
   and the button is hidden (static/site.css). */
document.addEventListener("DOMContentLoaded", function () {
  var menu = document.querySelector("details.site-menu");
  if (!menu || !window.matchMedia) return;
  var narrow = window.matchMedia("(max-width: 48rem)");
  function fit() {
    if (narrow.matches) menu.removeAttribute("open");
    else menu.setAttribute("open", "");
  }
  fit();
  narrow.addEventListener("change", fit);
});

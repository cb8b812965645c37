import { html, type Html } from "./html.js";

const SITE_NAME = "Promeneurs du Net des Vosges";

const NAV = [
  { href: "/", label: "Accueil" },
  { href: "/annuaire", label: "Annuaire" },
  { href: "/agenda", label: "Agenda" },
] as const;

/**
 * Every page: French, one <h1>, landmarks (banner, navigation, main, contentinfo), a skip link
 * for keyboard users, and no script.
 */
export function layout(options: { title: string; path: string; body: Html; description?: string }): string {
  const { title, path, body } = options;
  const fullTitle = path === "/" ? SITE_NAME : `${title} — ${SITE_NAME}`;
  return `<!doctype html>\n${html`<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${fullTitle}</title>
${options.description ? html`<meta name="description" content="${options.description}">` : ""}
<link rel="stylesheet" href="/style.css">
</head>
<body>
<a class="skip" href="#contenu">Aller au contenu</a>
<header>
<a class="site" href="/">${SITE_NAME}</a>
<nav aria-label="Navigation principale"><ul>
${NAV.map((n) => html`<li><a href="${n.href}"${current(n.href, path)}>${n.label}</a></li>`)}
</ul></nav>
</header>
<main id="contenu" tabindex="-1">
${body}
</main>
<footer>
<p>Réseau départemental des Promeneurs du Net des Vosges, soutenu par la Caf des Vosges.</p>
<p><a href="/confidentialite">Données personnelles</a></p>
</footer>
</body>
</html>`}\n`;
}

function current(href: string, path: string): Html {
  const active = href === "/" ? path === "/" : path === href || path.startsWith(`${href}/`);
  return active ? html` aria-current="page"` : html``;
}

export function errorPage(status: number, message: string, path: string): string {
  const title = status === 404 ? "Page introuvable" : status === 429 ? "Trop de requêtes" : status === 403 ? "Accès réservé" : "Erreur";
  return layout({ title, path, body: html`<h1>${title}</h1><p>${message}</p><p><a href="/">Retour à l'accueil</a></p>` });
}

/**
 * Default themes of the training-needs survey, drawn from the Caf des Vosges specification
 * (trainings « en fonction des besoins recensés auprès des PdN », risks named in its context:
 * radicalisation, cyberviolence, harcèlement) and the Promeneurs du Net charter (article 4:
 * culture of digital uses, « règles de droit, de sécurité et de civilité sur Internet »;
 * missions: education to media and information, support to parents, spaces for exchange;
 * values: no hate speech or proselytism). The animator edits the list when opening a survey
 * (/formation besoins ajouter:… retirer:…).
 *
 * Keys are stored with the answers: never rename one, add a new key instead.
 */
export interface Theme {
  key: string;
  label: string;
}

export const DEFAULT_THEMES: readonly Theme[] = [
  { key: "usages", label: "Réseaux sociaux et usages numériques des jeunes" },
  { key: "cyberharcelement", label: "Cyberharcèlement et cyberviolences" },
  { key: "radicalisation", label: "Prévention de la radicalisation en ligne" },
  { key: "droit", label: "Droit, sécurité et civilité sur Internet" },
  { key: "emi", label: "Éducation aux médias et à l'information (désinformation)" },
  { key: "parentalite", label: "Parentalité et numérique : accompagner les parents" },
  { key: "posture", label: "Posture professionnelle et présence éducative en ligne" },
  { key: "jeux", label: "Jeux vidéo et pratiques culturelles numériques" },
  { key: "ecrans", label: "Écrans, sommeil et santé" },
  { key: "donnees", label: "Données personnelles et vie privée (RGPD)" },
  { key: "echanges", label: "Animer des espaces d'échange en ligne (chats, lives, forums)" },
  { key: "haine", label: "Discours de haine, prosélytisme : réagir en ligne" },
  { key: "inclusion", label: "Inclusion numérique et inégalités d'accès" },
];

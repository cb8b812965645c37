// The Promeneurs' questions to the animator, as the app builds them: one QuestionService per bot.
import { defineFeature } from "../feature.js";
import { QuestionService } from "./service.js";

export const questionsFeature = defineFeature({
  name: "questions",
  needs: [],
  create: ({ db, clock }) => new QuestionService(db, clock),
});

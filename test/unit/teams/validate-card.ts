/** The adaptivecards SDK's own parser and validator, run in Node on a card's JSON. */
interface SerializationContextLike {
  eventCount: number;
  getEventAt(i: number): { message: string };
}
interface AdaptiveCardsModule {
  AdaptiveCard: new () => {
    parse(json: unknown, ctx: SerializationContextLike): void;
    validateProperties(): { validationEvents: { message: string }[] };
  };
  SerializationContext: new () => SerializationContextLike;
}
// The package's Node-loadable UMD build (its ESM entry expects a DOM bundler).
const AC = require('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule;

/** Every parse warning/error and validation failure the SDK reports for `json` (empty when the card is clean). */
export function cardProblems(json: unknown): string[] {
  const card = new AC.AdaptiveCard();
  const ctx = new AC.SerializationContext();
  card.parse(json, ctx);
  const out: string[] = [];
  for (let i = 0; i < ctx.eventCount; i++) out.push(`parse: ${ctx.getEventAt(i).message}`);
  for (const e of card.validateProperties().validationEvents) out.push(`validate: ${e.message}`);
  return out;
}

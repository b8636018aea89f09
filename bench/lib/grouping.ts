/**
 * Grouping accuracy (GA, Zhu et al., ICSE 2019; LogPAI's "Parsing_Accuracy"): the share of items
 * whose predicted group holds exactly the same items as their true group.
 */
export function groupingAccuracy(predicted: readonly (string | number)[], truth: readonly string[]): number {
  if (predicted.length !== truth.length) {
    throw new Error(`groupingAccuracy: ${predicted.length} predictions for ${truth.length} labels`);
  }
  if (truth.length === 0) return 1;
  const byPred = new Map<string | number, number[]>();
  const truthSize = new Map<string, number>();
  predicted.forEach((p, i) => {
    const list = byPred.get(p);
    if (list) list.push(i);
    else byPred.set(p, [i]);
    truthSize.set(truth[i], (truthSize.get(truth[i]) ?? 0) + 1);
  });
  let correct = 0;
  for (const members of byPred.values()) {
    const label = truth[members[0]];
    if (members.every((i) => truth[i] === label) && truthSize.get(label) === members.length) {
      correct += members.length;
    }
  }
  return correct / truth.length;
}

import {
  judgeOwnerVote,
  ownerMatterLabels,
  tallyOwnerBallots,
  yesNoOptions,
  type OwnerMatter,
  type PollResultView,
  type YesNoChoice,
} from '@community/shared';

type QuestionResult = PollResultView['questions'][number];

export interface TallyQuestion {
  title: string;
  kind: 'single' | 'multiple' | 'yesno';
  options?: string[] | null;
  matter?: number | null;
}

/** What the tally needs of one chain entry (a batch, or a named ballot as a batch of one): sums only. */
export interface TallySums {
  heads: number;
  area: number;
  questions: { options: { heads: number; area: number }[] }[];
}

const yesNoChoices: YesNoChoice[] = ['yes', 'no', 'abstain'];

/**
 * The published tally, from the chain's sums alone (so anyone holding the chain
 * gets the same numbers). Owner votes also get both art. 278 tests per question:
 * a batch's "同意/反对/弃权" sums are fed to the same counting rules as if each
 * were one owner of that weight, which adds up to exactly the per-ballot count.
 */
export function tallyPoll(poll: { countingUnit: string; questions: TallyQuestion[]; roll: { heads: number; area: number } }, entries: readonly TallySums[]): QuestionResult[] {
  const owner = poll.countingUnit === 'owner';
  return poll.questions.map((q, qi) => {
    const labels = q.kind === 'yesno' ? [...yesNoOptions] : (q.options ?? []);
    const options = labels.map((label) => ({ label, heads: 0, area: owner ? 0 : (null as number | null) }));
    for (const e of entries) {
      (e.questions[qi]?.options ?? []).forEach((sum, oi) => {
        const o = options[oi];
        if (!o) return;
        o.heads += sum.heads;
        if (o.area !== null) o.area += sum.area;
      });
    }
    let ownerResult: QuestionResult['owner'] = null;
    if (owner && q.kind === 'yesno' && q.matter) {
      const matter = q.matter as OwnerMatter;
      const weights = entries.flatMap((e) =>
        yesNoChoices.map((choice, oi) => ({ areaCenti: e.questions[qi]?.options[oi]?.area ?? 0, heads: e.questions[qi]?.options[oi]?.heads ?? 0, choice })),
      );
      const judged = judgeOwnerVote(matter, tallyOwnerBallots({ totalArea: poll.roll.area, totalHeads: poll.roll.heads }, weights));
      ownerResult = {
        matter,
        matterLabel: ownerMatterLabels[matter],
        participation: judged.participation,
        approval: judged.approval,
        passed: judged.passed,
      };
    }
    return { title: q.title, kind: q.kind, options, owner: ownerResult };
  });
}

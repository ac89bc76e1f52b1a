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

export interface TallyBallot {
  answers: number[][];
  area: number;
  heads: number;
}

const yesNoChoices: YesNoChoice[] = ['yes', 'no', 'abstain'];

/**
 * The published tally, from ballots alone (so anyone holding the chain gets the
 * same numbers). Owner votes also get both art. 278 tests per question.
 */
export function tallyPoll(
  poll: { countingUnit: string; questions: TallyQuestion[]; roll: { heads: number; area: number } },
  ballots: readonly TallyBallot[],
): QuestionResult[] {
  const owner = poll.countingUnit === 'owner';
  return poll.questions.map((q, qi) => {
    const labels = q.kind === 'yesno' ? [...yesNoOptions] : (q.options ?? []);
    const options = labels.map((label) => ({ label, heads: 0, area: owner ? 0 : null as number | null }));
    for (const b of ballots) {
      for (const pick of b.answers[qi] ?? []) {
        const o = options[pick];
        if (!o) continue;
        o.heads += b.heads;
        if (o.area !== null) o.area += b.area;
      }
    }
    let ownerResult: QuestionResult['owner'] = null;
    if (owner && q.kind === 'yesno' && q.matter) {
      const matter = q.matter as OwnerMatter;
      const tally = tallyOwnerBallots(
        { totalArea: poll.roll.area, totalHeads: poll.roll.heads },
        ballots.map((b) => ({ areaCenti: b.area, heads: b.heads, choice: yesNoChoices[b.answers[qi]?.[0] ?? 2]! })),
      );
      const judged = judgeOwnerVote(matter, tally);
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

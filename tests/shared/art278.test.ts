import fc from 'fast-check';
import {
  judgeOwnerVote,
  meets,
  ordinaryApprovalRule,
  participationRule,
  smallestMeeting,
  specialApprovalRule,
  tallyOwnerBallots,
  type OwnerMatter,
  type YesNoChoice,
} from '../../shared/src/votes/art278';
import { buildOwnerRoll, type RegisterRoom } from '../../shared/src/votes/roll';

const m2 = (squareMetres: number) => Math.round(squareMetres * 100);

/** n ballots of the same choice, each one owner of `area` (0.01 m²). */
const many = (n: number, area: number, choice: YesNoChoice) => Array.from({ length: n }, () => ({ areaCenti: area, heads: 1, choice }));

describe('the worked example of product.md (600 units, 60,000 m², no multi-unit owners)', () => {
  const roll = { totalArea: m2(60_000), totalHeads: 600 };

  it('participation needs 400 owners and 40,000 m²', () => {
    expect(smallestMeeting(roll.totalHeads, participationRule)).toBe(400);
    expect(smallestMeeting(roll.totalArea, participationRule)).toBe(m2(40_000));
  });

  it('420 owners holding 43,000 m²: matter 7 passes with 315 yes-owners and 32,250 m², not with one fewer', () => {
    // 315 yes owners with exactly 32,250 m²; the other 105 hold 10,750 m².
    const yes = [...many(314, m2(100), 'yes'), { areaCenti: m2(32_250) - 314 * m2(100), heads: 1, choice: 'yes' as const }];
    const no = [...many(104, m2(100), 'no'), { areaCenti: m2(10_750) - 104 * m2(100), heads: 1, choice: 'no' as const }];
    const result = judgeOwnerVote(7, tallyOwnerBallots(roll, [...yes, ...no]));
    expect(result.tally).toMatchObject({ participatingHeads: 420, participatingArea: m2(43_000), yesHeads: 315, yesArea: m2(32_250) });
    expect(result.approval).toMatchObject({ headsNeeded: 315, areaNeeded: m2(32_250), met: true });
    expect(result.passed).toBe(true);

    // Move 0.01 m² from the yes side to the no side: area falls short by one hundredth.
    const short = judgeOwnerVote(
      7,
      tallyOwnerBallots(roll, [...yes.slice(0, -1), { ...yes.at(-1)!, areaCenti: yes.at(-1)!.areaCenti - 1 }, ...no.slice(0, -1), { ...no.at(-1)!, areaCenti: no.at(-1)!.areaCenti + 1 }]),
    );
    expect(short.approval.headsMet).toBe(true);
    expect(short.approval.areaMet).toBe(false);
    expect(short.passed).toBe(false);
  });

  it('matter 4 needs more than half: 210 of 420 fails, 211 passes', () => {
    const at = (yesHeads: number) =>
      judgeOwnerVote(4, tallyOwnerBallots(roll, [...many(yesHeads, m2(43_000) / 420 | 0, 'yes'), ...many(420 - yesHeads, m2(43_000) / 420 | 0, 'no')]));
    expect(at(210).approval.headsMet).toBe(false);
    expect(at(211).approval.headsMet).toBe(true);
    expect(smallestMeeting(m2(43_000), ordinaryApprovalRule)).toBe(m2(21_500) + 1);
  });

  it('if only 390 owners take part, nothing passes, even unanimously', () => {
    for (const matter of [1, 4, 7, 9] as OwnerMatter[]) {
      const r = judgeOwnerVote(matter, tallyOwnerBallots(roll, many(390, m2(100), 'yes')));
      expect(r.participation.headsMet).toBe(false);
      expect(r.passed).toBe(false);
    }
  });
});

describe('boundaries, exactly', () => {
  it.each([
    // [part, whole, rule, met]
    [2, 3, participationRule, true], // exactly 2/3 passes (≥)
    [1999, 3000, participationRule, false],
    [2000, 3000, participationRule, true],
    [3, 4, specialApprovalRule, true], // exactly 3/4 passes (≥)
    [299, 400, specialApprovalRule, false],
    [1, 2, ordinaryApprovalRule, false], // exactly 1/2 fails (>)
    [51, 100, ordinaryApprovalRule, true],
    [0, 0, ordinaryApprovalRule, false], // nobody took part: nothing is decided
    [0, 0, specialApprovalRule, false],
    [0, 0, participationRule, false],
  ])('%i of %i against %o → %s', (part, whole, rule, met) => {
    expect(meets(part, whole, rule)).toBe(met);
  });

  it('is exact where floats are not: 2/3 of a total that is not a multiple of 3', () => {
    // 0.1 + 0.2 style traps: 66,666,667 of 100,000,000 is ≥ 2/3; 66,666,666 is not.
    expect(meets(66_666_667, 100_000_000, participationRule)).toBe(true);
    expect(meets(66_666_666, 100_000_000, participationRule)).toBe(false);
  });

  it('handles estate totals beyond 2^53 / 4 without overflow', () => {
    const whole = Number.MAX_SAFE_INTEGER - 1;
    expect(meets(whole, whole, specialApprovalRule)).toBe(true);
    expect(smallestMeeting(whole, participationRule)).toBeLessThanOrEqual(whole);
  });

  it('refuses impossible inputs instead of guessing', () => {
    expect(() => meets(-1, 10, participationRule)).toThrow(RangeError);
    expect(() => meets(1.5, 10, participationRule)).toThrow(RangeError);
    expect(() => meets(11, 10, participationRule)).toThrow(RangeError);
    expect(() => tallyOwnerBallots({ totalArea: 100, totalHeads: 1 }, many(2, 50, 'yes'))).toThrow(RangeError);
  });

  it('abstentions take part but are not yes', () => {
    const t = tallyOwnerBallots({ totalArea: 300, totalHeads: 3 }, [
      { areaCenti: 100, heads: 1, choice: 'yes' },
      { areaCenti: 100, heads: 1, choice: 'abstain' },
    ]);
    const r = judgeOwnerVote(4, t);
    expect(r.participation.met).toBe(true); // 2 of 3, 200 of 300
    expect(r.approval.met).toBe(false); // 1 of 2 is not more than half
  });
});

describe('the roll follows the Supreme People’s Court counting rules', () => {
  const rooms: RegisterRoom[] = [
    { roomId: 'r1', areaCenti: 9_000, owners: [{ id: 'wang', kind: 'person' }] },
    { roomId: 'r2', areaCenti: 8_000, owners: [{ id: 'wang', kind: 'person' }] },
    { roomId: 'r3', areaCenti: 12_000, owners: [{ id: 'li', kind: 'person' }, { id: 'zhou', kind: 'person' }] },
    { roomId: 'r4', areaCenti: 7_000, owners: [{ id: 'dev', kind: 'developer' }] },
    { roomId: 'r5', areaCenti: 7_500, owners: [{ id: 'dev', kind: 'developer' }] },
    { roomId: 'r6', areaCenti: 6_000, owners: [{ id: 'li', kind: 'person' }] },
  ];

  it('one owner of several rooms is one person with the sum of the areas; co-owners are one; the developer is one', () => {
    const roll = buildOwnerRoll(rooms);
    const byKey = Object.fromEntries(roll.units.map((u) => [u.key, u]));
    expect(byKey['owners:wang']).toMatchObject({ areaCenti: 17_000, heads: 1, roomIds: ['r1', 'r2'] });
    expect(byKey['owners:li+zhou']).toMatchObject({ areaCenti: 12_000, heads: 1, roomIds: ['r3'] });
    // li alone is a different buyer from li with zhou.
    expect(byKey['owners:li']).toMatchObject({ areaCenti: 6_000, heads: 1 });
    expect(byKey.developer).toMatchObject({ areaCenti: 14_500, heads: 1, roomIds: ['r4', 'r5'] });
    expect(roll.totalHeads).toBe(4);
    expect(roll.totalArea).toBe(49_500);
  });

  it('a room with no owner on the register is refused rather than silently left out', () => {
    expect(() => buildOwnerRoll([...rooms, { roomId: 'r7', areaCenti: 100, owners: [] }])).toThrow(/r7/);
  });
});

describe('properties', () => {
  const ballot = fc.record({
    areaCenti: fc.integer({ min: 1, max: 50_000 }),
    choice: fc.constantFrom<YesNoChoice>('yes', 'no', 'abstain'),
  });
  const scenario = fc
    .record({ cast: fc.array(ballot, { maxLength: 60 }), absent: fc.array(fc.integer({ min: 1, max: 50_000 }), { maxLength: 60 }), matter: fc.constantFrom<OwnerMatter>(1, 2, 3, 4, 5, 6, 7, 8, 9) })
    .map(({ cast, absent, matter }) => ({
      matter,
      ballots: cast.map((b) => ({ ...b, heads: 1 })),
      roll: {
        totalArea: cast.reduce((s, b) => s + b.areaCenti, 0) + absent.reduce((s, a) => s + a, 0),
        totalHeads: cast.length + absent.length,
      },
    }));

  it('the outcome never depends on the order of the ballots', () => {
    fc.assert(
      fc.property(scenario, fc.func(fc.integer()), ({ roll, ballots, matter }, key) => {
        const shuffled = [...ballots].sort((a, b) => key(a) - key(b));
        expect(judgeOwnerVote(matter, tallyOwnerBallots(roll, shuffled))).toEqual(judgeOwnerVote(matter, tallyOwnerBallots(roll, ballots)));
      }),
    );
  });

  it('a non-voter who casts yes never turns a pass into a fail', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 1, max: 50_000 }), ({ roll, ballots, matter }, area) => {
        const before = judgeOwnerVote(matter, tallyOwnerBallots({ totalArea: roll.totalArea + area, totalHeads: roll.totalHeads + 1 }, ballots));
        const after = judgeOwnerVote(
          matter,
          tallyOwnerBallots({ totalArea: roll.totalArea + area, totalHeads: roll.totalHeads + 1 }, [...ballots, { areaCenti: area, heads: 1, choice: 'yes' }]),
        );
        if (before.passed) expect(after.passed).toBe(true);
      }),
    );
  });

  it('turning a no into a yes never turns a pass into a fail', () => {
    fc.assert(
      fc.property(scenario, fc.nat(), ({ roll, ballots, matter }, pick) => {
        const noIndexes = ballots.flatMap((b, i) => (b.choice === 'no' ? [i] : []));
        fc.pre(noIndexes.length > 0);
        const i = noIndexes[pick % noIndexes.length]!;
        const flipped = ballots.map((b, j) => (j === i ? { ...b, choice: 'yes' as const } : b));
        if (judgeOwnerVote(matter, tallyOwnerBallots(roll, ballots)).passed) {
          expect(judgeOwnerVote(matter, tallyOwnerBallots(roll, flipped)).passed).toBe(true);
        }
      }),
    );
  });

  it('agrees with exact rational arithmetic done another way', () => {
    fc.assert(
      fc.property(fc.nat(10_000_000), fc.nat(10_000_000), (a, b) => {
        const [part, whole] = a <= b ? [a, b] : [b, a];
        fc.pre(whole > 0);
        // 3·part ≥ 2·whole, by repeated subtraction on BigInt: an independent check of the cross-multiplication.
        expect(meets(part, whole, participationRule)).toBe(3n * BigInt(part) - 2n * BigInt(whole) >= 0n);
        expect(meets(part, whole, ordinaryApprovalRule)).toBe(2n * BigInt(part) - BigInt(whole) > 0n);
      }),
    );
  });
});

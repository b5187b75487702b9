// The error function for the exact GELU (torch's default `nn.GELU()`), to double precision: the
// rational approximations of FDLIBM's s_erf.c (Sun Microsystems), on [0, 0.84375), [0.84375, 1.25),
// [1.25, 1/0.35) and [1/0.35, 28), with erfc computed directly so that 1 − erf does not cancel.

const ERX = 0.8450629115104675;
const EFX = 0.1283791670955126;
const PP = [
  0.12837916709551256, -0.3250421072470015, -0.02848174957559851, -0.005770270296489442,
  -2.3763016656650163e-5,
];
const QQ = [
  0.39791722395915535, 0.0650222499887673, 0.005081306281875766, 0.00013249473800432164,
  -3.960228278775368e-6,
];
const PA = [
  -0.0023621185607526594, 0.41485611868374833, -0.3722078760357013, 0.31834661990116175, -0.11089469428239668,
  0.035478304325618236, -0.002166375594868791,
];
const QA = [
  0.10642088040084423, 0.540397917702171, 0.07182865441419627, 0.12617121980876164, 0.01363708391202905,
  0.011984499846799107,
];
const RA = [
  -0.009864944034847148, -0.6938585727071818, -10.558626225323291, -62.375332450326006, -162.39666946257347,
  -184.60509290671104, -81.2874355063066, -9.814329344169145,
];
const SA = [
  19.651271667439257, 137.65775414351904, 434.56587747522923, 645.3872717332679, 429.00814002756783,
  108.63500554177944, 6.570249770319282, -0.0604244152148581,
];
const RB = [
  -0.0098649429247001, -0.799283237680523, -17.757954917754752, -160.63638485582192, -637.5664433683896,
  -1025.0951316110772, -483.5191916086514,
];
const SB = [
  30.33806074348246, 325.7925129965739, 1536.729586084437, 3199.8582195085955, 2553.0504064331644,
  474.52854120695537, -22.44095244658582,
];

/** p[0] + p[1]·x + … (Horner). */
function poly(p: readonly number[], x: number): number {
  let s = p[p.length - 1];
  for (let i = p.length - 2; i >= 0; i--) s = s * x + p[i];
  return s;
}

/** 1 + q[0]·x + q[1]·x² + … */
function poly1(q: readonly number[], x: number): number {
  return 1 + x * poly(q, x);
}

/** erfc(x) for x ≥ 1.25: exp(−x² − 0.5625 + R/S)/x, with x² split so that the exponent stays exact. */
function erfcTail(x: number): number {
  if (x >= 28) return 0;
  const s = 1 / (x * x);
  const rs = x < 1 / 0.35 ? poly(RA, s) / poly1(SA, s) : poly(RB, s) / poly1(SB, s);
  const z = Math.fround(x);
  return (Math.exp(-z * z - 0.5625) * Math.exp((z - x) * (z + x) + rs)) / x;
}

/** The error function erf(x) = 2/√π ∫₀ˣ e^{−t²} dt, to about 1 ulp. */
export function erf(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  let r: number;
  if (ax < 0.84375) {
    if (ax < 2 ** -28) return x + EFX * x;
    const z = x * x;
    return x + x * (poly(PP, z) / poly1(QQ, z));
  }
  if (ax < 1.25) {
    const s = ax - 1;
    r = ERX + poly(PA, s) / poly1(QA, s);
  } else {
    r = 1 - erfcTail(ax);
  }
  return x < 0 ? -r : r;
}

/** The complementary error function erfc(x) = 1 − erf(x), without cancellation for large x. */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return x;
  const ax = Math.abs(x);
  if (ax < 0.84375) return 1 - erf(x);
  if (ax < 1.25) {
    const s = ax - 1;
    const p = poly(PA, s) / poly1(QA, s);
    return x < 0 ? 1 + ERX + p : 1 - ERX - p;
  }
  const tail = erfcTail(ax);
  return x < 0 ? 2 - tail : tail;
}

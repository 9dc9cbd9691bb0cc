/**
 * Equivalence cases in the styles of other verifiers' public test suites. Each case is written
 * here in our own words (values and wording changed where the point survives), with the verdict
 * that mathematics gives; the source names the suite whose convention the case exercises. Where
 * that suite's own expectation differs from the mathematics, the line carries a note saying so
 * (README "## Verification" lists these disagreements).
 *
 * Format, one case a line: `pred ;; gold ;; T|F ;; source ;; note?`. `# name` starts a group.
 * The text is String.raw, so LaTeX is written as is (no doubled backslashes); ⏎ is a line break.
 */
export interface PublicCase {
  pred: string;
  gold: string;
  expected: boolean;
  source: keyof typeof SOURCES;
  group: string;
  note?: string;
}

/** A case's id: its prediction and reference (unique in the corpus; a test checks it). */
export function caseId(c: Pick<PublicCase, "pred" | "gold">): string {
  return `${c.pred} ;; ${c.gold}`;
}

/** Where each case's convention comes from (repository and file). */
export const SOURCES = {
  MV: "huggingface/Math-Verify tests/test_all.py",
  MVY: "huggingface/Math-Verify tests/test_yujianll.py",
  MVM: "huggingface/Math-Verify tests/test_mixed_number_extraction.py",
  VM: "volcengine/verl verl/utils/reward_score/math.py (Hendrycks is_equiv) and tests/utils/reward_score/test_numeric_canonicalization_on_cpu.py",
  VD: "volcengine/verl verl/utils/reward_score/math_dapo.py (normalize_final_answer)",
  VP: "volcengine/verl verl/utils/reward_score/prime_math/grader.py (math_equal)",
  HE: "hendrycks/math modeling/math_equivalence_test.py (the is_equiv verl/lm-eval inherit)",
  PRM: "openai/prm800k prm800k/grading/grader.py (grade_answer)",
  LM: "EleutherAI/lm-evaluation-harness lm_eval/tasks/minerva_math/utils.py (normalize_final_answer)",
  QW: "QwenLM/Qwen2.5-Math evaluation/grader.py and evaluation/parser.py (math_equal, strip_string)",
  DS: "deepseek-ai/DeepSeek-Math evaluation/eval/eval_utils.py (math_equal)",
} as const;

const RAW = String.raw`
# plain and LaTeX numbers
-5 ;; -5 ;; T ;; MV
5 ;; -5 ;; F ;; MV
7,425,000 ;; 7425000 ;; T ;; MV
1 000 ;; 1000 ;; T ;; MV
1000.0 ;; 1000 ;; T ;; MV
1,000.0 ;; 1000.0 ;; T ;; MV
1,000.99 ;; 1000.99 ;; T ;; MV
\$1,000.99 ;; 1000.99 ;; T ;; MV
1,000.99\$ ;; 1000.99 ;; T ;; MV
1,000.99€ ;; 1000.99 ;; T ;; MV
1000,99 ;; 1000.99 ;; T ;; MV ;; decimal comma (two digits after the comma cannot be a thousands group)
2,75 ;; 2.75 ;; T ;; MV ;; decimal comma
0,125 ;; 0.125 ;; T ;; MV ;; decimal comma (a leading 0 cannot start a thousands group)
.4 ;; 0.4 ;; T ;; MV
0.4 ;; .4 ;; T ;; HE
0.1 ;; .1 ;; T ;; HE
033 ;; 33 ;; T ;; VM
+033 ;; 33 ;; T ;; VM
-0 ;; 0 ;; T ;; VM
000 ;; 0 ;; T ;; VM
+7 ;; 7 ;; T ;; VM
5.0 ;; 5 ;; T ;; PRM
5.00 ;; 5 ;; T ;; PRM
12,000,023 ;; 12000023 ;; T ;; MV
12,\!000,\!023 ;; 12000023 ;; T ;; MV
14{,}916 ;; 14916 ;; T ;; MV
14 {, }916 ;; 14916 ;; T ;; MV
32,\! 349 ;; 32349 ;; T ;; MV
32, 349 ;; 32349 ;; F ;; MV ;; two numbers, not one
11,\! 111,\! 111,\! 100 ;; 11111111100 ;; T ;; MV
3\,000 ;; 3000 ;; T ;; LM
1\!000 ;; 1000 ;; T ;; LM
{5} ;; 5 ;; T ;; PRM
AZYUK2A ;; 2 ;; F ;; MV
\$18.90 ;; 18.9 ;; T ;; VD
18 \text{ dollars} ;; 18 ;; T ;; VD
\$5.00 ;; 5 ;; T ;; MVM
2005 ;; 2004 ;; F ;; MVY
-7 ;; 7 ;; F ;; MV
100 ;; 1000 ;; F ;; PRM
1.5 ;; 1.05 ;; F ;; PRM
16386.17 ;; 16386.16 ;; F ;; MV
16386.20 ;; \$16,\!386.20 ;; T ;; MV
16386.2 ;; 16386.20 ;; T ;; MV
7.78 ;; 7.78 ;; T ;; MV
5866608 ;; 5866608 ;; T ;; MV
10,455 ;; 10455 ;; T ;; MV
14400 ;; 14,400 ;; T ;; MV
two ;; 2 ;; T ;; QW ;; number words (Qwen word2number)
\text{twelve} ;; 12 ;; T ;; QW
three ;; 4 ;; F ;; QW
1.0001 ;; 1 ;; F ;; QW ;; Qwen/PRIME isclose(rel_tol=1e-4) accept this; two different finite decimals
3.2 ;; 3.21 ;; F ;; QW

# fractions
\frac{10}{9} ;; 10/9 ;; T ;; MV
-\frac{10}{9} ;; -10/9 ;; T ;; MV
\frac13 ;; 1/3 ;; T ;; MV
\frac3{3} ;; 1 ;; T ;; MV
\cfrac{1}{3} ;; 1/3 ;; T ;; MV
\dfrac{1}{3} ;; 1/3 ;; T ;; MV
\tfrac{1}{3} ;; 1/3 ;; T ;; MV
 1/3  ;; \frac{1}{3} ;; T ;; MV
\left( \frac{1}{3} \right) ;; 1/3 ;; T ;; MV
\boxed{\frac{1}{3}} ;; 1/3 ;; T ;; MV
\frac{1}{3} \text{meters} ;; 1/3 ;; T ;; MV
\frac{1}{3} \textbf{meters} ;; 1/3 ;; T ;; MV
k = \frac{1}{3} ;; 1/3 ;; T ;; MV
\tfrac{1}{2} +\! \frac1{72} ;; \dfrac{1}{2} +\frac{1}{72} ;; T ;; HE
\tfrac{1}{2} + \frac1{72} ;; \frac{1}{2} + 2/3 ;; F ;; HE
\tfrac83 ;; \frac{8}{3} ;; T ;; HE
\frac34i ;; \frac{3}{4}i ;; T ;; HE
1/2 ;; \frac{1}{2} ;; T ;; HE
0.5 ;; \frac{1}{2} ;; T ;; VM
2/4 ;; 1/2 ;; T ;; PRM ;; prm800k refuses unreduced fractions (string match for a/b); the values are equal
\frac{6}{4} ;; \frac{3}{2} ;; T ;; PRM ;; prm800k refuses unreduced fractions; the values are equal
10/2 ;; 5 ;; T ;; PRM ;; prm800k requires an exact match when the gold is an integer; 10/2 is 5
\frac{3}{5} ;; \frac{5}{3} ;; F ;; PRM
-\frac{3}{4} ;; \frac{3}{4} ;; F ;; PRM
\frac{-3}{4} ;; -\frac34 ;; T ;; PRM
\frac{3}{-4} ;; -0.75 ;; T ;; PRM
\frac{1}{2}+\frac{1}{3} ;; \frac{5}{6} ;; T ;; PRM
\frac{7}{9} \cdot 10 ;; \frac{70}{9} ;; T ;; MV
\frac{70}{9} ;; 7.78 ;; F ;; MV ;; 7.78 is a rounding of 70/9 (relative error 3e-4)
\frac{14}{3} ;; \frac{28}{6} ;; T ;; MV
\frac{3}{56} ;; \frac{3}{65} ;; F ;; MV
\frac{1}{12} ;; 0.0833333333333333 ;; T ;; QW
\frac{2}{3} ;; 0.6667 ;; T ;; QW
\frac{2}{3} ;; 0.67 ;; F ;; DS ;; relative error 5e-3
\frac{100}{3} ;; 33.3 ;; F ;; QW ;; relative error 1e-3

# mixed numbers
4 4/9 ;; 40/9 ;; T ;; MVM
4 4/9 ;; 4 ;; F ;; MVM
-4 4/9 ;; -40/9 ;; T ;; MVM
+11 5/6 ;; 71/6 ;; T ;; MVM
11 5/6 ;; \frac{71}{6} ;; T ;; MVM
0 4/9 ;; 4/9 ;; T ;; MVM
11 + 4/9 ;; 11 - 4/9 ;; F ;; MVM
11 + 4/9 ;; 103/9 ;; T ;; MVM
11.0 4/9 ;; 103/9 ;; F ;; MVM ;; a decimal whole part does not make a mixed number
(11) 4/9 ;; 103/9 ;; F ;; MVM
11/10 4/9 ;; 139/90 ;; F ;; MVM
4 4/9\% ;; 40/900 ;; T ;; MVM
2\frac{1}{2} ;; 2.5 ;; T ;; MV
3 \frac{1}{4} ;; \frac{13}{4} ;; T ;; MV
7 3/4 ;; 31/4 ;; T ;; PRM
1\frac{4}{5} ;; \frac{9}{5} ;; T ;; PRM
2\frac{1}{3} ;; \frac{2}{3} ;; F ;; PRM

# square roots and radicals
\sqrt3 ;; \sqrt{3} ;; T ;; MV
10\sqrt{3} + \sqrt4 ;; 10\sqrt3 + \sqrt{4} ;; T ;; HE
10\sqrt{3} + 2 ;; 10\sqrt3 + \sqrt{4} ;; T ;; HE
\sqrt 2+\sqrt 5 ;; \sqrt{2}+\sqrt{5} ;; T ;; MV
4\sqrt{2} ;; 4 ;; F ;; MV
1 ;; 1\sqrt{19} ;; F ;; QW
\sqrt{19} ;; 1\sqrt{19} ;; T ;; QW
\sqrt{17} ;; 4.123105625617661 ;; T ;; MV
\sqrt[3]{27} ;; 3 ;; T ;; MV
\sqrt[3]{x} ;; x^{1/3} ;; T ;; MV
\frac{\sqrt{6}}{2} ;; \sqrt{\frac{3}{2}} ;; T ;; MV
\frac{10\sqrt{10.5}}{27} ;; \frac{5\sqrt{42}}{27} ;; T ;; MV
2\sqrt{3} ;; 3\sqrt{2} ;; F ;; MV
\sqrt{8} ;; 2\sqrt{2} ;; T ;; PRM
\sqrt{12} ;; 2\sqrt3 ;; T ;; PRM
\frac{1}{\sqrt{2}} ;; \frac{\sqrt{2}}{2} ;; T ;; PRM
\sqrt{2}/2 ;; \frac{\sqrt2}{2} ;; T ;; PRM
\sqrt{50} ;; 5\sqrt2 ;; T ;; PRM
\sqrt{-4} ;; 2i ;; T ;; QW
\sqrt{2}+1 ;; \sqrt{3} ;; F ;; QW
\frac{\sqrt{\sqrt{11}+\sqrt{194}}}{2\sqrt{33}+15} ;; \frac{\sqrt{\sqrt{11}+\sqrt{194}}}{15+2\sqrt{33}} ;; T ;; QW
\frac{34}{16}+\frac{\sqrt{1358}}{16} ;; 4 ;; F ;; QW
\frac{1+\sqrt{5}}{2} ;; 2 ;; F ;; QW
\frac{\sqrt{3}}{2} ;; \frac{1}{2}\sqrt{3} ;; T ;; PRM
\sqrt{\frac{1}{n}} ;; \frac{1}{\sqrt{n}} ;; T ;; MVY

# pi
\frac94\pi ;; \frac{9}{4}\pi ;; T ;; MV
\frac{\pi}{4} ;; \frac{1}{4}\pi ;; T ;; VP
\pi/4 ;; 0.7854 ;; T ;; VP
2\pi ;; 6.28 ;; F ;; VP ;; relative error 5e-4
3 \pi ;; 3\pi ;; T ;; VP
\pi r^2 ;; r^2\pi ;; T ;; VP
4\pi ;; 4 ;; F ;; VP
100\pi ;; 314.16 ;; T ;; VP
3.14 ;; \pi ;; F ;; VP ;; relative error 5e-4
\pi ;; 3.14159 ;; T ;; VP
\frac{\pi}{2} ;; \frac{\pi}{3} ;; F ;; VP
\pi^2 ;; 2\pi ;; F ;; VP

# degrees and trigonometric values
90^\circ ;; 90 ;; T ;; MV
90^{\circ} ;; 90 ;; T ;; MV
90° ;; 90^\circ ;; T ;; MV
45^\circ ;; 90^\circ ;; F ;; MV
30 \text{ degrees} ;; 30^\circ ;; T ;; VD
30 degrees ;; 30 ;; T ;; VD
\sin 30^\circ ;; \frac{1}{2} ;; T ;; QW
\cos 60^\circ ;; 0.5 ;; T ;; QW
\tan 45^\circ ;; 1 ;; T ;; QW
\sin 60^{\circ} ;; \frac{\sqrt{3}}{2} ;; T ;; QW
\sin 30^\circ ;; \frac{\sqrt{3}}{2} ;; F ;; QW
\cos 120^\circ ;; -\frac12 ;; T ;; QW
2\sin 30^\circ ;; 1 ;; T ;; QW
\sin(30^\circ) ;; 1/2 ;; T ;; QW
\cos \frac{\pi}{3} ;; \frac12 ;; T ;; QW
\sin \frac{\pi}{3} ;; \frac12 ;; F ;; QW
\tan \frac{\pi}{4} ;; 1 ;; T ;; QW
\arctan 1 ;; \frac{\pi}{4} ;; T ;; QW
\arcsin \frac12 ;; \frac{\pi}{6} ;; T ;; QW
\sin^2 x + \cos^2 x ;; 1 ;; T ;; QW
\sec^2(y) ;; \tan^2(y)+1 ;; T ;; QW
\sin (a + b) - \sin (a - b) ;; 2 \sin b \cos a ;; T ;; MV
2 \sin a \cos b ;; 2 \sin b \cos a ;; F ;; MV

# logarithms and exponentials
\log_2 8 ;; 3 ;; T ;; QW
\log_{2} 8 ;; 3 ;; T ;; QW
\log_3 81 ;; 4 ;; T ;; QW
\ln e^2 ;; 2 ;; T ;; QW
\log_2 3 ;; \frac{\ln 3}{\ln 2} ;; T ;; QW
\log_2 3 ;; \log_3 2 ;; F ;; QW
2\ln 2 ;; \ln 4 ;; T ;; QW
\lg 100 ;; 2 ;; T ;; QW
\log_{10} 1000 ;; 3 ;; T ;; QW
e^{i\pi} ;; -1 ;; T ;; QW
e^2 ;; 2e ;; F ;; QW
e^{x+y} ;; e^x e^y ;; T ;; QW
\ln(xy) ;; \ln x + \ln y ;; T ;; QW
1 - \frac{1}{\mathrm{e}} ;; 1 - \frac{1}{\mathrm{e}} ;; T ;; MVY
1 + \frac{1}{\mathrm{e}} ;; 1 - \frac{1}{\mathrm{e}} ;; F ;; MVY
1-e^{-1} ;; 1 - \frac{1}{\mathrm{e}} ;; T ;; MVY
1-\frac{1}{e} ;; 1+\frac{1}{e} ;; F ;; MVY

# percentages
28 percent ;; 28\% ;; T ;; MV
28 pct ;; 28\% ;; T ;; MV
28 % ;; 28\% ;; T ;; MV
28 percentage ;; 28\% ;; T ;; MV
\boxed{28 pct} ;; 28\% ;; T ;; MV
\boxed{28 percent} ;; 28\% ;; T ;; MV
28 ;; 28\% ;; T ;; MV
28 ;; 0.28 ;; F ;; MV
28 ;; 28/100 ;; F ;; MV
28/100 ;; 28 ;; F ;; MV
28 ;; \frac{28}{100} ;; F ;; MV
28 ;; 28*\frac{1}{100} ;; F ;; MV
0.1 ;; 10\% ;; T ;; QW
0.2 ;; 10\% ;; F ;; QW
10\% ;; 10 ;; T ;; HE
100\% ;; 100 ;; T ;; MV
20 \% ;; 20 ;; T ;; MV
0.5 ;; 50 ;; F ;; QW ;; Qwen/PRIME/DeepSeek math_equal accept x, x/100 and 100x for any number (include_percentage); without a % sign 0.5 is not 50
50 ;; 0.5 ;; F ;; DS ;; DeepSeek include_percentage accepts; without a % sign 50 is not 0.5
\frac{1}{8} ;; 12.5\% ;; T ;; QW
12.5 ;; 12.5\% ;; T ;; QW
25\% ;; 20\% ;; F ;; QW

# units, text wrappers and currency
15\mbox{ cm}^2 ;; 15 ;; T ;; MV
125\textnormal{ miles} ;; 125 ;; T ;; MV
125 miles ;; 125 ;; T ;; MV
10\text{ units} ;; 10 ;; T ;; HE
10\text{ units} ;; 100 ;; F ;; HE
\$10 ;; 10 ;; T ;; HE
5 \text{ cm}. ;; 5 ;; T ;; MV
864 \text{ square inches} ;; 864 ;; T ;; VD
4 \text{ hours} ;; 4 ;; T ;; VD
60 \text{ mph} ;; 60 ;; T ;; VD
7 \mathrm{~cm} ;; 7 ;; T ;; VD
12 \text{ students} ;; 12 ;; T ;; VD
\text{12 students} ;; 12 ;; T ;; VD
5 ways ;; 5 ;; T ;; VD
3 \text{ feet} ;; 4 ;; F ;; VD
5 \text{ million} ;; 5000000 ;; T ;; PRM
2.5 \text{ billion} ;; 2500000000 ;; T ;; PRM
5 \text{ million} ;; 5 ;; F ;; PRM
1,000.99 \text{ m}^2 ;; 1000.99 ;; T ;; MV
5^{\text{th}} ;; 5 ;; T ;; LM
21^{\mathrm{st}} ;; 21 ;; T ;; LM
\text{13} ;; 13 ;; T ;; MV
13 ;; \text{13} ;; T ;; MV
\mathbf{42} ;; 42 ;; T ;; QW
\textbf{7} ;; 7 ;; T ;; QW

# boxed, delimiters, spacing and trailing punctuation
\boxed{\boxed{5}} ;; 5 ;; T ;; MV
\boxed{1,2} ;; \boxed{1}\boxed{2} ;; T ;; MV
\boxed{\text{(C)}} ;; C ;; T ;; MV
\boxed{C} ;; \text{(C)} ;; T ;; MV
\left(x-2\right)\left(x+2\right) ;; (x-2)(x+2) ;; T ;; HE
\left[ 1, 2 \right] ;; [1,2] ;; T ;; HE
\left\{ 1, 2 \right\} ;; \{1,2\} ;; T ;; HE
\frac{1}{2}\, ;; 0.5 ;; T ;; LM
\displaystyle\frac{1}{2} ;; 1/2 ;; T ;; LM
$\frac{1}{3}.$ ;; \frac13 ;; T ;; MV
\frac{1}{3}. ;; \frac{1}{3} ;; T ;; MV
\frac{1}{3}, ;; 1/3 ;; T ;; MV
\frac{1}{3} . ;; 1/3 ;; T ;; MV
\[\frac{1}{3}.\] ;; 1/3 ;; T ;; MV
$$\frac{1}{3}.$$ ;; 1/3 ;; T ;; MV
\sqrt{2}. ;; \sqrt2 ;; T ;; MV
(1,2). ;; (1,2) ;; T ;; MV
42. ;; 42 ;; T ;; MV
2^{10}. ;; 2 ;; F ;; MV
1/3. ;; 1 ;; F ;; MV
\( (9+1) \) ;; 10 ;; T ;; MV
\[ 9 \] ;; 9 ;; T ;; MV
$ 9 $ ;; $9$ ;; T ;; MV

# answers inside text (the prediction is a sentence or a solution)
Thus $x-p=\boxed{2-2p}$. ;; 2-2p ;; T ;; MV
so $(p,q,r) = \boxed{(6,31,-1)}.$ ;; (6,31,-1) ;; T ;; MV
By the quadratic formula, $x = \boxed{1 \pm \sqrt{19}}.$ ;; 1 \pm \sqrt{19} ;; T ;; MV
The integers are \boxed{-2} and \boxed{1}. ;; 1,-2 ;; T ;; MV
The answer is $\boxed{12}$. ;; 12 ;; T ;; MV
Final Answer: The final answer is $28 \%$. I hope it is correct. ;; 28\% ;; T ;; LM
Final Answer: The final answer is $\frac{3}{4}$. I hope it is correct. ;; 0.75 ;; T ;; LM
The distance is $\boxed{125\textnormal{ miles}}.$ ;; 125 ;; T ;; MV
the domain is $\boxed{(-\infty, -3] \cup [2, \infty)}$ ;; [-3,2] ;; F ;; MV
The answer is $(0, 1)$. ;; [0,1) ;; F ;; MV
Answer: $9$ ;; 9 ;; T ;; MV
Therefore $x \geq 5$ is the solution. ;; x >= 5 ;; T ;; MV

# intervals
[0,1) ;; [0,1) ;; T ;; MV
[0,1) ;; [0,9) ;; F ;; MV
[0,9) ;; (0,9) ;; F ;; MV
-[0,1) ;; 1 ;; F ;; MV
(-\infty, 3) ;; (-\infty,3) ;; T ;; MV
(-\infty,3] ;; (-\infty,3) ;; F ;; MV
(-\infty, -3] \cup [2, \infty) ;; [-3,2] ;; F ;; MV
[-3, 2] ;; [-3,2] ;; T ;; MV
[2,\infty)\cup(-\infty,-3] ;; (-\infty,-3]\cup[2,\infty) ;; T ;; MV
[-1, -\tfrac12) \cup (-\tfrac12, 0) \cup (0, 1) \cup (1, \infty) ;; [-1, -\frac{1}{2}) \cup (-\frac{1}{2}, 0) \cup (0, 1) \cup (1, \infty) ;; T ;; MV
x \in [-2,7] ;; [-2,7] ;; T ;; MV
x \in (2,12) \cup (12,102) ;; (2, 12) \cup (12, 102) ;; T ;; MV
x \in \{-1\} \cup [0,7) ;; \{-1\} \cup [0,7) ;; T ;; MV
x \in [-2,7] ;; -2 \le x \le 7 ;; T ;; MV
-2 \le x \le 7 ;; x \in [-2,7] ;; T ;; MV ;; Math-Verify accepts a relation for a set gold only with allow_set_relation_comp; the sets are the same
-2 \le x \le 7 ;; [-2,7] ;; T ;; MV
-2 < x \le 7 ;; [-2,7] ;; F ;; MV
x > 3 ;; (3, \infty) ;; T ;; MV
x \ge 3 ;; [3,\infty) ;; T ;; MV
x < 3 ;; (3,\infty) ;; F ;; MV
x > 3 ;; [3,\infty) ;; F ;; MV
(3, \infty) ;; x>3 ;; T ;; MV
(-\infty, 3) ;; x < 3 ;; T ;; MV
3 \le x < 5 ;; [3,5) ;; T ;; MV
(-\infty, \infty) ;; \mathbb{R} ;; T ;; QW
\mathbb{R} ;; (-\infty,\infty) ;; T ;; QW
(0.6,2.6667] ;; \left(\frac{3}{5},\frac{8}{3}\right] ;; F ;; MV ;; Math-Verify accepts the rounded 2.6667 for 8/3; rlev requires the exact value unless approximate: true (issue 13)
(0.6, 2.67] ;; (\frac35,\frac83] ;; F ;; MV ;; Math-Verify accepts with float_rounding=2; 2.67 is not 8/3
[1, 2] ;; [1, 2) ;; F ;; QW
(2, 1) ;; (1, 2) ;; F ;; QW
[-4, 0] ;; [-4,0] ;; T ;; MV
-\infty ;; \infty ;; F ;; QW
infinity ;; \infty ;; T ;; QW
-infinity ;; -\infty ;; T ;; QW

# sets and several answers
\{1,2,3\} ;; \{3,1,2\} ;; T ;; MV
\{1,2\} ;; \{1,2,3\} ;; F ;; MV
\{-2021, 2021\} ;; \pm 2021 ;; T ;; MVY
2021 ;; \pm 2021 ;; F ;; MVY
-2, 1+\sqrt5, 1-\sqrt5 ;; \{1\pm\sqrt{5},-2\} ;; T ;; MV
\varnothing ;; \emptyset ;; T ;; QW
\{\} ;; \emptyset ;; T ;; QW
0 ;; \emptyset ;; F ;; QW
1, 3 ;; \{1,3\} ;; T ;; MV
{1,3} ;; (1,3) ;; T ;; MV ;; braces without a backslash are LaTeX grouping: the list 1, 3
{1,3} ;; (3,1) ;; F ;; MV
-2,1 ;; -2,1 ;; T ;; MV
1,-2 ;; -2, 1 ;; T ;; MV
19, 46, \text{ and } 82 ;; 19, 46, and 82 ;; T ;; MVY
21, 36, and 82 ;; 19, 46, and 82 ;; F ;; MVY
n=1, 2, 3 ;; n=1, 2, 3 ;; T ;; MVY
n=1, 2, 3 ;; n=2, 3, 4 ;; F ;; MVY
1, 2, 3 ;; n = 1, 2, 3 ;; T ;; MVY
1 \text{ or } 2 ;; 1, 2 ;; T ;; PRM
1 or 2 ;; 2, 1 ;; T ;; PRM
1 and 2 ;; 1, 2 ;; T ;; PRM
x = 1, x = -2 ;; 1, -2 ;; T ;; QW
x=1 \text{ or } x=-2 ;; -2, 1 ;; T ;; QW
4, 10, -2 ;; 10, 4, -2 ;; T ;; HE ;; Hendrycks is_equiv compares strings, so order matters; a list of answers is order-free here
4, .1, 2 ;; 0.1, 4, 2 ;; T ;; HE ;; Hendrycks is_equiv compares strings; the same three numbers
4, 12, 2 ;; 10, 4, 2 ;; F ;; HE
1, 2, 3, \ldots ;; 1, 2, 3 ;; F ;; MV
1, 2 ;; 1, 2, 3 ;; F ;; MV
12\text{ and }13 ;; 12, 13 ;; T ;; MV
x = \pm 3 ;; \pm 3 ;; T ;; QW
3, -3 ;; \pm 3 ;; T ;; QW
-3 ;; \pm 3 ;; F ;; QW
1+\sqrt{19}, 1-\sqrt{19} ;; 1 \pm \sqrt{19} ;; T ;; MV
3 + 2\sqrt{2} ;; 3 \pm 2 \sqrt{2} ;; F ;; MV
-1+i, -1-i ;; -1 \pm i ;; T ;; MV
\frac{-1+\sqrt5}{2}, \frac{-1-\sqrt5}{2} ;; \frac{-1 \pm \sqrt{5}}{2} ;; T ;; MV
x \in \{1, 2\} ;; \{1,2\} ;; T ;; MV

# tuples and points
(7, 6) ;; (7,6) ;; T ;; MV
(6, 7) ;; (7,6) ;; F ;; MV
\left( \frac{4}{5}, \frac{1}{5} \right) ;; (4/5, 1/5) ;; T ;; MV
\left( \frac{1}{5}, \frac{4}{5} \right) ;; (4/5, 1/5) ;; F ;; MV
(0, 0) ;; (\tfrac{27}{8},\tfrac{15}{8}) ;; F ;; MV
(t,u) = \left( \frac{4}{3}, -\frac{1}{3} \right) ;; \left( \frac{4}{3}, -\frac{1}{3} \right) ;; T ;; MV
D = (0, 1) ;; D = (0, 1) ;; T ;; MVY
D = (0, 1.5) ;; D = (0, 1) ;; F ;; MVY
(1,4.5) ;; (1,\frac{9}{2}) ;; T ;; QW
(3, \frac{\pi}{2}) ;; \left( 3, \frac{\pi}{2} \right) ;; T ;; MV
(\frac{\pi}{2}, 3) ;; \left( 3, \frac{\pi}{2} \right) ;; F ;; MV
(x, y) = (1, 2) ;; (1,2) ;; T ;; MV
x \in (-6, 10) ;; (-6,10) ;; T ;; MV
(1,2,3) ;; (1,2) ;; F ;; QW
(2, -1) ;; (-1, 2) ;; F ;; QW
(1, -1, 2) ;; (1,-1,2) ;; T ;; QW
(-1, 1, 2) ;; (1,-1,2) ;; F ;; QW
(0.5, \sqrt{2}) ;; (\frac12, \sqrt2) ;; T ;; QW

# matrices and vectors
\begin{pmatrix}1 & 0 \\ 0 & 1\end{pmatrix} ;; \begin{pmatrix}1&0\\0&1\end{pmatrix} ;; T ;; MV
\begin{pmatrix}0 & 0 \\0 & 0\end{pmatrix} ;; \begin{bmatrix}0 & 0 \\0 & 0\end{bmatrix} ;; T ;; MV
\left[\begin{array}{cc}1 & 2 \\3 & 4\end{array}\right] ;; \begin{pmatrix}1 & 2 \\3 & 4\end{pmatrix} ;; T ;; MV
\begin{pmatrix}0.5 & 0.75 \\ \frac{5}{6} & 0.875\end{pmatrix} ;; \begin{pmatrix}\frac{1}{2} & \frac{3}{4} \\ \frac{5}{6} & \frac{7}{8}\end{pmatrix} ;; T ;; MV
\begin{pmatrix}1 & 2 \\ 3 & 4\end{pmatrix} + \begin{pmatrix}5 & 6 \\ 7 & 8\end{pmatrix} ;; \begin{pmatrix}6 & 8 \\ 10 & 12\end{pmatrix} ;; T ;; MV
\begin{pmatrix}1 & 0 \\ 0 & 1\end{pmatrix} \begin{pmatrix}1 & 0 \\ 0 & 1\end{pmatrix} ;; \begin{pmatrix}1 & 0 \\ 0 & 1\end{pmatrix} ;; T ;; MV
\begin{pmatrix}1 & 2 \\ 3 & 5\end{pmatrix} ;; \begin{pmatrix}1 & 2 \\ 3 & 4\end{pmatrix} ;; F ;; MV
\begin{pmatrix}1 & 3 \\ 2 & 4\end{pmatrix} ;; \begin{pmatrix}1 & 2 \\ 3 & 4\end{pmatrix} ;; F ;; MV
\begin{pmatrix}-\frac{7}{4}&-2\\4&\frac{1}{4}\end{pmatrix} ;; \begin{pmatrix}-\frac{7}{4}&-2\\4&\frac{1}{4}\\\end{pmatrix} ;; T ;; QW
\begin{pmatrix}\frac{1}{3x^{2/3}}&0&0\\0&1&0\\-\sin(x)&0&0\end{pmatrix} ;; \begin{pmatrix}\frac{1}{3\sqrt[3]{x}^2}&0&0\\0&1&0\\-\sin(x)&0&0\end{pmatrix} ;; T ;; QW
\begin{pmatrix} 3 \\ -1 \end{pmatrix} ;; (3,-1) ;; T ;; QW
\begin{pmatrix} 0.33 \\ 0.2 \end{pmatrix} ;; \begin{pmatrix}\frac{1}{3}\\ \frac{1}{5}\end{pmatrix} ;; F ;; MV ;; Math-Verify accepts with float_rounding=2 and Qwen rounds matrix entries to 3 places; 0.33 is not 1/3
2\begin{pmatrix}1\\2\end{pmatrix} ;; \begin{pmatrix}2\\4\end{pmatrix} ;; T ;; MV
\begin{pmatrix} 2 \\ 4 \end{pmatrix} ;; \begin{pmatrix} 4 \\ 2 \end{pmatrix} ;; F ;; MV
\begin{pmatrix} 1 & 2 \end{pmatrix} ;; \begin{pmatrix} 1 \\ 2 \end{pmatrix} ;; T ;; QW

# equations
y=-\frac{1}{2}x+\frac{3}{4} ;; 2x+4y-3=0 ;; T ;; MV
x^2/16 + y^2/12 = 1/4 ;; x^2/4 + y^2/3 = 1 ;; T ;; MV
-34x-45y+20z-100=0 ;; 34x+45y-20z+100=0 ;; T ;; QW
x + y - z + 2 = 0 ;; 5x - 7y + 11z + 4 = 0 ;; F ;; HE
2x+3=y ;; y=2x+3 ;; T ;; QW
y = 3x + 2 ;; y = 2x + 3 ;; F ;; QW
x - 2y + z = 1 ;; x-2y+z-1=0 ;; T ;; MV
y = (x-1)(x-3) ;; y = x^2 - 4x + 3 ;; T ;; QW
y = (x-1)(x+3) ;; y = x^2 - 4x + 3 ;; F ;; QW
2x+3 ;; y = 2x+3 ;; T ;; QW
x = 5+5+1 = 7 = 11 ;; x = 11 ;; T ;; MV ;; the last side of the chain is the answer (the chain itself has a wrong step)
11a+c ;; 7 = 11a+c ;; F ;; MV
0 ;; a + 3z = 0 ;; F ;; MV
1 ;; 2x + z = 1 ;; F ;; MV
0 ;; a^2 + b = 0 ;; F ;; MV
1 ;; k=1 ;; T ;; MV
k=1 ;; 1 ;; T ;; MV
x=11 ;; 11 ;; T ;; MV
x\approx11 ;; 11 ;; T ;; MV
x=\frac{1}{3}\approx0.33 ;; 1/3 ;; T ;; MV
x+1=2 ;; x+1=3 ;; F ;; MVY
x^2+y^2=1 ;; x^2+y^2=4 ;; F ;; MVY
x = y ;; x = y ;; T ;; QW
x = z ;; x = y ;; F ;; QW
F_n = \sum_{k=0}^{n-1} F_k F_{n-k-1} ;; F_n = \sum_{k=0}^{n-1} F_k F_{n-k-1} ;; T ;; MVY
F_n = \sum_{k=0}^{n-2} F_k F_{n-k-2} ;; F_n = \sum_{k=0}^{n-1} F_k F_{n-k-1} ;; F ;; MVY

# inequalities
x \geq 5 ;; x >= 5 ;; T ;; MV
x \lt 3 ;; x < 3 ;; T ;; MV
x <= 2 ;; x \leq 2 ;; T ;; MV
x \gt 5 ;; x > 5 ;; T ;; MV
x \neq 3 ;; x != 3 ;; T ;; MV
x < 5 ;; x > 5 ;; F ;; MV
x \leq 5 ;; x \geq 5 ;; F ;; MV
5 \geq x ;; x \leq 5 ;; T ;; MV
5 \leq x ;; x \geq 5 ;; T ;; MV
-x > -1 ;; x < 1 ;; T ;; MV
x > -1 ;; x < 1 ;; F ;; MV
-x >= -1 ;; x <= 1 ;; T ;; MV
x \le 1 ;; x < 1 ;; F ;; MV
f(2) < f(1) < f(4) ;; f(2) < f(1) < f(4) ;; T ;; MV
f(1) < f(2) < f(4) ;; f(2) < f(1) < f(4) ;; F ;; MV
2x > 6 ;; x > 3 ;; T ;; MV

# complex numbers
3+4i ;; 4i+3 ;; T ;; QW
3-4i ;; 3+4i ;; F ;; QW
\frac{5}{1-2i} ;; 1+2i ;; T ;; QW
\sqrt{-1} ;; i ;; T ;; QW
(1+i)^2 ;; 2i ;; T ;; QW
-i ;; i ;; F ;; QW
\frac{1+i\sqrt{3}}{2} ;; \frac{1}{2} + \frac{\sqrt{3}}{2}i ;; T ;; QW
|3+4i| ;; 5 ;; T ;; QW
i^2 ;; -1 ;; T ;; QW
2 - 3i ;; 2 + 3i ;; F ;; QW

# scientific notation
1.5 \times 10^{3} ;; 1500 ;; T ;; QW
3 \cdot 10^{-4} ;; 0.0003 ;; T ;; QW
6.02 \times 10^{23} ;; 6.02e23 ;; T ;; QW
10^{-3} ;; 0.001 ;; T ;; QW
2.5E-2 ;; 0.025 ;; T ;; QW
1.5 \times 10^{3} ;; 150 ;; F ;; QW
4\times10^6 ;; 4000000 ;; T ;; QW
10^{-3} ;; 10^{3} ;; F ;; QW

# repeating decimals
0.\overline{3} ;; \frac13 ;; T ;; PRM
0.\overline{142857} ;; \frac17 ;; T ;; PRM
0.1\overline{6} ;; \frac16 ;; T ;; PRM
1.\overline{27} ;; \frac{14}{11} ;; T ;; PRM
0.\overline{3} ;; 0.3 ;; F ;; PRM
0.\overline{9} ;; 1 ;; T ;; PRM
0.\overline{12} ;; \frac{4}{33} ;; T ;; PRM
0.\overline{12} ;; \frac{12}{100} ;; F ;; PRM

# bases
1010_2 ;; 1010_{2} ;; T ;; VP
204_5 ;; 204_5 ;; T ;; MV
1112122_3 ;; 1112112_3 ;; F ;; MV
52 ;; 52_8 ;; T ;; VP
11011 ;; 11011_2 ;; T ;; VP
1011_2 ;; 1101_2 ;; F ;; VP

# answer choices
(A) ;; A ;; T ;; QW
A. ;; A ;; T ;; QW
\text{(C)} ;; C ;; T ;; MV
\textbf{(B)} ;; B ;; T ;; QW
(A) ;; B ;; F ;; QW
\text{C} ;; \text{(C)} ;; T ;; MV
E ;; \text{E} ;; T ;; MV
\mathrm{(D)} ;; D ;; T ;; QW
(D) ;; \text{(D)} ;; T ;; QW
C ;; D ;; F ;; QW
\text{(B)} ;; \text{(C)} ;; F ;; MV

# text answers
\text{Tuesday} ;; Tuesday ;; T ;; VD
\text{Wednesday} ;; \text{Tuesday} ;; F ;; VD
Evelyn ;; \text{Evelyn} ;; T ;; MV
\text{even} ;; even ;; T ;; PRM
\text{odd} ;; \text{even} ;; F ;; PRM
Yes ;; \text{yes} ;; T ;; PRM
yes ;; \text{No} ;; F ;; PRM
12:00 ;; 12:00 ;; T ;; MVY
1:00 ;; 12:00 ;; F ;; MVY
\text{neither} ;; neither ;; T ;; PRM
east ;; \text{East} ;; T ;; PRM
\textbf{Tuesday} ;; Tuesday ;; T ;; VD

# expressions with variables
(x-1)(x+1) ;; x^2-1 ;; T ;; PRM
x^2-4 ;; (x-2)(x+2) ;; T ;; PRM
\frac{\pi r}{r+h} ;; \frac{\pi r}{h+r} ;; T ;; MV
\frac{x}{7}+\frac{2}{7} ;; \frac{x+2}{7} ;; T ;; QW
(+5)(b+2) ;; (a+5)(b+2) ;; F ;; QW
x+1 ;; x+2n+1 ;; F ;; QW
-2p+2 ;; 2-2p ;; T ;; MV
2p-2 ;; 2-2p ;; F ;; MV
(a-b)(a+b) ;; a^2 - b^2 ;; T ;; PRM
\frac{x+y}{xy} ;; \frac{1}{x} + \frac{1}{y} ;; T ;; PRM
x^3 ;; x^2 ;; F ;; PRM
2y+3x ;; 3x+2y ;; T ;; PRM
2\cdot 2^n ;; 2^{n+1} ;; T ;; PRM
2^n+1 ;; 2^{n+1} ;; F ;; PRM
\frac{n^2+n}{2} ;; n(n+1)/2 ;; T ;; PRM
\frac{n(n+1)}{2} ;; \frac{n(n-1)}{2} ;; F ;; PRM
x^2+2x+1 ;; (x+1)^2 ;; T ;; QW
x^2+2x+2 ;; (x+1)^2 ;; F ;; QW
-\frac{8x^2}{9(x^2-2)^{5/3}}+\frac{2}{3(x^2-2)^{2/3}} ;; -\frac{2(x^2+6)}{9(x^2-2)\sqrt[3]{x^2-2}^2} ;; T ;; QW
\frac{1}{3\sqrt[3]{x}^2} ;; \frac{1}{3x^{2/3}} ;; T ;; QW
6r^2-4r-24 ;; 2(3r^2-2r-12) ;; T ;; PRM
ab+2a+5b+10 ;; (a+5)(b+2) ;; T ;; QW
\frac{11}{20}+\frac{9a}{20} ;; \frac{11+9a}{20} ;; T ;; QW
x^2 + 1 ;; x^2 - 1 ;; F ;; PRM

# factorials, binomials, powers
2^{10} ;; 1024 ;; T ;; PRM
10! ;; 3628800 ;; T ;; PRM
\binom{10}{3} ;; 120 ;; T ;; PRM
\dbinom{6}{2} ;; 15 ;; T ;; PRM
5! ;; 24 ;; F ;; PRM
\frac{1}{2006!} ;; \frac{1}{2004!} ;; F ;; MVY ;; both below 1e-5700: a floating-point check calls them equal
\frac{1}{2^{98}} ;; \frac{1}{2^{99}} ;; F ;; MVY
3^{4} ;; 81 ;; T ;; PRM
2^{-2} ;; \frac14 ;; T ;; PRM
# answers given in prose (no box, no delimiters around the value)
The answer is 4 4/9. ;; 40/9 ;; T ;; MVM
The answer is 4 4/9. ;; 4 ;; F ;; MVM
There are 3 boxes and 2/5 of them are red. ;; 2/5 ;; T ;; MVM
so the chance that Bea wins is 3/8. ;; \frac38 ;; T ;; MV
the price is not 12 but 1,250.50€ ;; 1250.5 ;; T ;; MV
it's not 7 it's 8 ;; 8 ;; T ;; MV
Final Answer: The smallest such $k$ is 21. ;; 21 ;; T ;; MV
Final Answer: Tom finished the race 4 minutes later. ;; 4 ;; T ;; MV
The answer is $\frac{2}{3}.$ ;; \frac23 ;; T ;; MV
The answer is $\frac{2}{3}.$ ;; 2 ;; F ;; MV
Our answer: \[ 14 \] ;; 14 ;; T ;; MV
Answer $$ 14 $$ ;; 14 ;; T ;; MV
Answer $ \frac{1}{4} \$ = \frac{3}{7} $ ;; 3/7 ;; T ;; MV
The vector is $ \begin{pmatrix}2 \\ -1\end{pmatrix} $. ;; \begin{pmatrix}2\\-1\end{pmatrix} ;; T ;; MV
The total is $\begin{pmatrix}1 & 1 \\ 0 & 1\end{pmatrix} + \begin{pmatrix}1 & 0 \\ 2 & 1\end{pmatrix}$ ;; \begin{pmatrix}2 & 1 \\ 2 & 2\end{pmatrix} ;; T ;; MV
the speed rises by 50%. ;; 50\% ;; T ;; MV
BQX7Z ;; 7 ;; F ;; MV
We find 2 values, and the result is 1+2i ;; 2 ;; F ;; MV ;; an earlier number must not stand in for an undelimited expression
We find 2 values, and the result is \frac{1}{3} ;; 3 ;; F ;; MV
the total comes to 8n^2 + 4n + 1 ;; 1 ;; F ;; MV
Answer $ 9 $ ;; 8 ;; F ;; MV

# sums and products
\sum_{k=1}^{4} k^2 ;; 30 ;; T ;; MVY
\prod_{k=1}^{4} k ;; 24 ;; T ;; MVY
\sum_{k=1}^{4} k^2 ;; 29 ;; F ;; MVY
F_n = \sum_{k=0}^{n-1} F_{n-k-1} F_k ;; F_n = \sum_{k=0}^{n-1} F_k F_{n-k-1} ;; T ;; MVY ;; the same sum with its factors in the other order
\sum_{i=1}^{n} i ;; \sum_{i=1}^{n} i ;; T ;; MVY
\sum_{i=1}^{n} i^2 ;; \sum_{i=1}^{n} i ;; F ;; MVY

# more units, wrappers and normalizations
12 \text{ edges} ;; 12 ;; T ;; LM
20 \text{ minutes} ;; 20 ;; T ;; LM
5\;\text{cm} ;; 5 ;; T ;; LM
8 \text{ points} ;; 8 ;; T ;; LM
3 \text{ multiples} ;; 3 ;; T ;; LM
\$2.50 ;; 2.5 ;; T ;; LM
2.50 \text{ dollars} ;; 2.50 ;; T ;; LM
6 \text{ cm}^2 ;; 6 ;; T ;; PRM
6 \text{ cm}^2 ;; 36 ;; F ;; PRM
3 \text{ days} ;; 3 ;; T ;; PRM
10 \text{ weeks} ;; 10 ;; T ;; PRM
2.5 \text{ hours} ;; 2.5 ;; T ;; PRM
28 percent ;; 0.28 ;; T ;; MV
28 pct ;; 28 ;; T ;; MV
1, 2, 3, ... ;; 1, 2, 3 ;; F ;; MV
1, 2, 3, \dots ;; 1, 2, 3, \ldots ;; T ;; MV
3+4j ;; 3+4i ;; T ;; QW ;; j written for the imaginary unit (Qwen strip_string)
3-4j ;; 3+4i ;; F ;; QW
x \in \emptyset ;; \emptyset ;; T ;; QW
\\dfrac{1}{2} + \frac{1}{72} ;; \frac{37}{72} ;; T ;; HE ;; a doubled backslash before a command name is a typo for one
5.000 ;; 5 ;; T ;; QW
\mathbf{(2, 3)} ;; (2,3) ;; T ;; QW
\text{infinity} ;; \infty ;; T ;; QW

# more mixed numbers, lines and chains
11 7/6 ;; 73/6 ;; F ;; MVM ;; 7/6 is not a proper fraction: not a mixed number
11 6/6 ;; 12 ;; F ;; MVM
4 0/9 ;; 4 ;; T ;; MVM
4 4/0 ;; 4 ;; F ;; MVM
11⏎5/6 ;; 71/6 ;; F ;; MVM ;; numbers on separate lines are separate items
\frac{1}{2} = \frac{10}{20} ;; \frac{10}{20} ;; T ;; MV
1 + 1 = 2 ;; 2 ;; T ;; MV
a < b < c ;; a < b < c ;; T ;; MV
a < c < b ;; a < b < c ;; F ;; MV
# function notation, exclusions and letters in sentences
f(x) = 2x+1 ;; 2x+1 ;; T ;; QW ;; a function named on the left, as y is in y = 2x + 1
f(x) = 2x+1 ;; 2x-1 ;; F ;; QW
p(x) = x^2-1 ;; (x-1)(x+1) ;; T ;; QW
x(x+1) = 6 ;; x^2+x-6=0 ;; T ;; QW
x \neq 0 ;; (-\infty,0)\cup(0,\infty) ;; T ;; MV
x \ne 1 ;; (-\infty,0)\cup(0,\infty) ;; F ;; MV
The correct option is (B). ;; B ;; T ;; QW
The correct option is (B). ;; \text{(C)} ;; F ;; QW
Option B ;; B ;; T ;; QW
x = 3, y = 4 ;; (3, 4) ;; T ;; QW
(3, 4) ;; x = 3, y = 4 ;; T ;; QW
y = 4, x = 3 ;; (3, 4) ;; F ;; QW ;; positions are compared, not names
x ;; X ;; F ;; PRM
\langle 1, 2 \rangle ;; \begin{pmatrix}1\\2\end{pmatrix} ;; T ;; QW
½ ;; 0.5 ;; T ;; PRM
`;

function parseCases(raw: string): PublicCase[] {
  const out: PublicCase[] = [];
  let group = "";
  for (const line of raw.split("\n")) {
    if (line.trim() === "") continue;
    if (line.startsWith("# ")) {
      group = line.slice(2).trim();
      continue;
    }
    const parts = line.split(" ;; ");
    if (parts.length < 4 || parts.length > 5) throw new Error(`bad corpus line: ${line}`);
    const [pred, gold, verdict, source, note] = parts.map((x) => x.replaceAll("⏎", "\n"));
    if (verdict !== "T" && verdict !== "F") throw new Error(`bad verdict in: ${line}`);
    if (!(source in SOURCES)) throw new Error(`unknown source in: ${line}`);
    out.push({
      pred,
      gold,
      expected: verdict === "T",
      source: source as keyof typeof SOURCES,
      group,
      ...(note ? { note } : {}),
    });
  }
  return out;
}

export const PUBLIC_CASES: readonly PublicCase[] = parseCases(RAW);

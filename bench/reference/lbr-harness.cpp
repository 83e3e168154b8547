// Times P. Jaeckel's own C++ reference implementation of "Let's Be Rational" (the 2013-2014
// release, www.jaeckel.org/LetsBeRational.7z, mirrored at github.com/vollib/lets_be_rational, or
// with -DLBR2024 the 2013-2024 release, e.g. github.com/reder2000/lets_be_rational; NOT part of
// this repository) on the pricing bench's inputs, against the same floor as bench/pricing.bench.ts
// (one log, one sqrt, two exp per option), in CPU time, median of 21 rounds. It answers: what
// ratio to its own floor does the reference code reach on this machine? See README.md here.
#include <cstdio>
#include <cmath>
#include <ctime>
#include <vector>
#include <algorithm>
#ifdef LBR2024
// The 2024 release (C++ linkage, CamelCase names).
#include "lets_be_rational.h"
static double black(double F, double K, double sigma, double T, double q) { return Black(F, K, sigma, T, q); }
static double normalised_black_call(double x, double s) { return NormalisedBlack(x, s, 1); }
static double implied_volatility_from_a_transformed_rational_guess(double price, double F, double K, double T, double q) {
  return ImpliedBlackVolatility(price, F, K, T, q);
}
#else
// The 2013-2014 release (extern "C").
extern "C" double black(double F, double K, double sigma, double T, double q);
extern "C" double normalised_black_call(double x, double s);
extern "C" double implied_volatility_from_a_transformed_rational_guess(double price, double F, double K, double T, double q);
#endif
static double cpu() { timespec t; clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t); return t.tv_sec + 1e-9 * t.tv_nsec; }
int main(int argc, char** argv) {
  if (argc < 2) { fprintf(stderr, "usage: lbr-harness inputs.bin\n"); return 2; }
  const int N = 100000;
  std::vector<double> d(N * 6);
  FILE* f = fopen(argv[1], "rb");
  if (f == nullptr || fread(d.data(), 8, N * 6, f) != (size_t)(N * 6)) { fprintf(stderr, "cannot read %s\n", argv[1]); return 1; }
  fclose(f);
  std::vector<double> q(N), F(N), K(N), T(N), v(N), p(N), x(N), s(N);
  for (int i = 0; i < N; i++) { q[i]=d[6*i]; F[i]=d[6*i+1]; K[i]=d[6*i+2]; T[i]=d[6*i+3]; v[i]=d[6*i+4]; p[i]=d[6*i+5];
    x[i] = -std::fabs(std::log(F[i]/K[i])); s[i] = v[i]*std::sqrt(T[i]); }
  volatile double sink = 0;
  std::vector<double> rf, rb, rn, ri;
  double maxerr = 0;
  for (int round = 0; round < 21; round++) {
    double t0 = cpu(); double acc = 0;
    for (int i = 0; i < N; i++) { double xx = std::log(F[i]/K[i]); double ss = v[i]*std::sqrt(T[i]); acc += std::exp(xx*0.5+ss) + std::exp(-xx*0.5-ss); }
    double t1 = cpu(); sink = sink + acc; acc = 0;
    for (int i = 0; i < N; i++) acc += black(F[i], K[i], v[i], T[i], q[i]);
    double t2 = cpu(); sink = sink + acc; acc = 0;
    for (int i = 0; i < N; i++) acc += normalised_black_call(x[i], s[i]);
    double t3 = cpu(); sink = sink + acc; acc = 0;
    for (int i = 0; i < N; i++) acc += implied_volatility_from_a_transformed_rational_guess(p[i], F[i], K[i], T[i], q[i]);
    double t4 = cpu(); sink = sink + acc;
    rf.push_back((t1-t0)/N*1e9); rb.push_back((t2-t1)/N*1e9); rn.push_back((t3-t2)/N*1e9); ri.push_back((t4-t3)/N*1e9);
  }
  // accuracy of the IV vs the input vol (OTM only)
  std::vector<double> e;
  for (int i = 0; i < N; i++) if (q[i]*std::log(F[i]/K[i]) <= 0) { double iv = implied_volatility_from_a_transformed_rational_guess(p[i], F[i], K[i], T[i], q[i]); e.push_back(std::fabs(iv/v[i]-1)); }
  std::sort(e.begin(), e.end());
  auto med = [](std::vector<double> a){ std::sort(a.begin(), a.end()); return a[a.size()/2]; };
  double fl = med(rf);
  printf("floor %.1f ns | black %.1f ns = %.2fx | normalised_black_call %.1f ns = %.2fx | implied vol %.1f ns = %.2fx | IV rel err vs input vol (OTM) p99 %.1e max %.1e\n",
    fl, med(rb), med(rb)/fl, med(rn), med(rn)/fl, med(ri), med(ri)/fl, e[(size_t)(0.99*(e.size()-1))], e.back());
  return 0;
}

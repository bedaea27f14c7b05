/* A small C implementation of the same MCML method as academy/simulator/transport.py,
 * for the speed comparison in bench/simulator_bench.py (not used by the app).
 *
 * Same steps: dimensionless step -ln(xi), boundaries with all-or-none Fresnel
 * reflection and Snell refraction, collision-estimator scoring on a depth-radius grid,
 * absorption weighting, Henyey-Greenstein deflection, roulette (1e-4, 0.1).
 * Random numbers: xoshiro256+ seeded by splitmix64, as in the Python engine, so the
 * two draw the same sequence from the same seed.
 *
 * usage: mcml_ref PHOTONS SEED N_ABOVE N_BELOW DZ NZ DR NR  {MUA MUS G N THICKNESS}...
 * prints: seconds rd td tu a
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t s[4];
static inline uint64_t rotl(const uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static inline double rnd(void) {
    const uint64_t result = s[0] + s[3];
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t; s[3] = rotl(s[3], 45);
    return (result >> 11) * 0x1.0p-53;
}
static void seed_rng(uint64_t seed) {
    for (int i = 0; i < 4; i++) {
        uint64_t z = (seed += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        s[i] = z ^ (z >> 31);
    }
}

static double fresnel(double n1, double n2, double ca1, double *ca2) {
    if (n1 == n2) { *ca2 = ca1; return 0.0; }
    if (ca1 > 1.0 - 1e-12) { double r = (n2 - n1) / (n2 + n1); *ca2 = ca1; return r * r; }
    if (ca1 < 1e-6) { *ca2 = 0.0; return 1.0; }
    double sa1 = sqrt(1.0 - ca1 * ca1), sa2 = n1 * sa1 / n2;
    if (sa2 >= 1.0) { *ca2 = 0.0; return 1.0; }
    double c2 = sqrt(1.0 - sa2 * sa2);
    double cap = ca1 * c2 - sa1 * sa2, cam = ca1 * c2 + sa1 * sa2;
    double sap = sa1 * c2 + ca1 * sa2, sam = sa1 * c2 - ca1 * sa2;
    *ca2 = c2;
    return 0.5 * sam * sam * (cam * cam + cap * cap) / (sap * sap * cam * cam);
}

int main(int argc, char **argv) {
    if (argc < 14 || (argc - 9) % 5 != 0) { fprintf(stderr, "bad arguments\n"); return 2; }
    long nphot = atol(argv[1]);
    seed_rng((uint64_t)atol(argv[2]));
    double n_above = atof(argv[3]), n_below = atof(argv[4]), dz = atof(argv[5]);
    int nz = atoi(argv[6]); double dr = atof(argv[7]); int nr = atoi(argv[8]);
    int nl = (argc - 9) / 5;
    double *mua = malloc(nl * sizeof(double)), *mus = malloc(nl * sizeof(double));
    double *g = malloc(nl * sizeof(double)), *n = malloc(nl * sizeof(double));
    double *ztop = malloc(nl * sizeof(double)), *zbot = malloc(nl * sizeof(double));
    double z0 = 0.0;
    for (int i = 0; i < nl; i++) {
        mua[i] = atof(argv[9 + 5 * i]); mus[i] = atof(argv[10 + 5 * i]);
        g[i] = atof(argv[11 + 5 * i]); n[i] = atof(argv[12 + 5 * i]);
        double d = atof(argv[13 + 5 * i]);
        ztop[i] = z0; zbot[i] = (d <= 0) ? INFINITY : z0 + d; z0 = zbot[i];
    }
    double *grid = calloc((size_t)nz * (nr + 1), sizeof(double));
    double r0 = (n_above - n[0]) / (n_above + n[0]), rsp = r0 * r0;
    double RD = 0, TD = 0, TU = 0, A = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (long ip = 0; ip < nphot; ip++) {
        double w = 1.0 - rsp, x = 0, y = 0, z = 0, ux = 0, uy = 0, uz = 1, sleft = 0;
        int layer = 0, scattered = 0, alive = 1;
        while (alive) {
            if (sleft == 0.0) sleft = -log(1.0 - rnd());
            double mut = mua[layer] + mus[layer];
            double st = mut > 0 ? sleft / mut : INFINITY, db;
            if (uz > 0) db = (zbot[layer] - z) / uz;
            else if (uz < 0) db = (ztop[layer] - z) / uz;
            else db = INFINITY;
            if (db <= st) {
                x += ux * db; y += uy * db; z += uz * db;
                if (mut > 0) { sleft -= db * mut; if (sleft < 0) sleft = 0; }
                int up = uz < 0;
                double n2;
                if (up) { z = ztop[layer]; n2 = layer == 0 ? n_above : n[layer - 1]; }
                else { z = zbot[layer]; n2 = layer == nl - 1 ? n_below : n[layer + 1]; }
                double ca2, r = fresnel(n[layer], n2, fabs(uz), &ca2);
                if (rnd() <= r) uz = -uz;
                else {
                    double ratio = n[layer] / n2;
                    if (up && layer == 0) { RD += w; alive = 0; }
                    else if (!up && layer == nl - 1) { if (scattered) TD += w; else TU += w; alive = 0; }
                    else {
                        ux *= ratio; uy *= ratio;
                        if (up) { layer--; uz = -ca2; } else { layer++; uz = ca2; }
                    }
                }
            } else {
                x += ux * st; y += uy * st; z += uz * st; sleft = 0;
                int iz = (int)(z / dz);
                if (iz < nz) {
                    int ir = (int)(sqrt(x * x + y * y) / dr);
                    if (ir > nr) ir = nr;
                    grid[(size_t)iz * (nr + 1) + ir] += w / mut;
                }
                double dw = w * mua[layer] / mut;
                w -= dw; A += dw;
                double gg = g[layer], cost;
                if (gg == 0.0) cost = 2.0 * rnd() - 1.0;
                else {
                    double tmp = (1.0 - gg * gg) / (1.0 - gg + 2.0 * gg * rnd());
                    cost = (1.0 + gg * gg - tmp * tmp) / (2.0 * gg);
                    if (cost < -1) cost = -1; else if (cost > 1) cost = 1;
                }
                double sint = sqrt(1.0 - cost * cost), psi = 2.0 * M_PI * rnd();
                double cosp = cos(psi), sinp = sin(psi);
                if (fabs(uz) > 1.0 - 1e-12) {
                    ux = sint * cosp; uy = sint * sinp; uz = uz >= 0 ? cost : -cost;
                } else {
                    double tmp = sqrt(1.0 - uz * uz);
                    double nux = sint * (ux * uz * cosp - uy * sinp) / tmp + ux * cost;
                    double nuy = sint * (uy * uz * cosp + ux * sinp) / tmp + uy * cost;
                    uz = -sint * cosp * tmp + uz * cost; ux = nux; uy = nuy;
                }
                scattered = 1;
                if (w < 1e-4) { if (rnd() <= 0.1) w /= 0.1; else alive = 0; }
            }
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (t1.tv_sec - t0.tv_sec) + 1e-9 * (t1.tv_nsec - t0.tv_nsec);
    printf("%.6f %.6f %.6f %.6f %.6f\n", secs, RD / nphot, TD / nphot, TU / nphot, A / nphot);
    return 0;
}

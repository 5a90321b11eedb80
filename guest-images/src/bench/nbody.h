/*
 * N-body: the Sun and the four giant planets under Newtonian gravity, leapfrog
 * steps, in the floating-point type REAL (double or long double, x87 code:
 * see the Makefile's BENCH_FP_FLAGS). The program that includes this defines
 * REAL, bench_name, how a REAL is hashed, and the x87 control word CW it runs
 * under.
 *
 * Units: astronomical units, years, solar masses (G = 4 pi^2). The initial
 * state is the planets' published heliocentric positions and velocities.
 */
#include "bench.h"

#define NBODY  5
#define STEPS  250000
#define DT     0.01

struct body {
    REAL x, y, z, vx, vy, vz, mass;
};

#define PI            3.141592653589793
#define SOLAR_MASS    (4 * PI * PI)
#define DAYS_PER_YEAR 365.24

static const struct body initial[NBODY] = {
    {0, 0, 0, 0, 0, 0, SOLAR_MASS},
    {4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
     1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
     -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS},
    {8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
     -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
     2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS},
    {1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
     2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
     -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS},
    {1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
     2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
     -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS},
};

/*
 * On a page of its own, as a hosted program's data would be: in this Multiboot
 * image .bss follows .text on the same page, and a store to a page that holds
 * translated code takes jvmx's self-modifying-code path.
 */
static struct body bodies[NBODY] __attribute__((aligned(4096)));

static REAL root(REAL v)
{
#ifdef __SSE2_MATH__
    return __builtin_sqrt(v); /* SQRTSD (nbody-sse2; -fno-math-errno) */
#else
    REAL r;
    __asm__("fsqrt" : "=t"(r) : "0"(v));
    return r;
#endif
}

/* The Sun moves so that the total momentum is zero. */
static void offset_momentum(void)
{
    REAL px = 0, py = 0, pz = 0;
    for (int i = 0; i < NBODY; i++) {
        px += bodies[i].vx * bodies[i].mass;
        py += bodies[i].vy * bodies[i].mass;
        pz += bodies[i].vz * bodies[i].mass;
    }
    bodies[0].vx = -px / SOLAR_MASS;
    bodies[0].vy = -py / SOLAR_MASS;
    bodies[0].vz = -pz / SOLAR_MASS;
}

static REAL energy(void)
{
    REAL e = 0;
    for (int i = 0; i < NBODY; i++) {
        struct body *b = &bodies[i];
        e += 0.5 * b->mass * (b->vx * b->vx + b->vy * b->vy + b->vz * b->vz);
        for (int j = i + 1; j < NBODY; j++) {
            struct body *c = &bodies[j];
            REAL dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
            e -= b->mass * c->mass / root(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void advance(REAL dt)
{
    for (int i = 0; i < NBODY; i++) {
        struct body *b = &bodies[i];
        for (int j = i + 1; j < NBODY; j++) {
            struct body *c = &bodies[j];
            REAL dx = b->x - c->x, dy = b->y - c->y, dz = b->z - c->z;
            REAL d2 = dx * dx + dy * dy + dz * dz;
            REAL mag = dt / (d2 * root(d2));
            b->vx -= dx * c->mass * mag;
            b->vy -= dy * c->mass * mag;
            b->vz -= dz * c->mass * mag;
            c->vx += dx * b->mass * mag;
            c->vy += dy * b->mass * mag;
            c->vz += dz * b->mass * mag;
        }
    }
    for (int i = 0; i < NBODY; i++) {
        bodies[i].x += dt * bodies[i].vx;
        bodies[i].y += dt * bodies[i].vy;
        bodies[i].z += dt * bodies[i].vz;
    }
}

void bench_setup(void)
{
    static const uint16_t cw = CW;
    __asm__ volatile("fninit\n\tfldcw %0" : : "m"(cw));
}

/* Energy before and after, and every coordinate at the end, bit for bit. */
uint32_t bench_round(void)
{
    for (int i = 0; i < NBODY; i++)
        bodies[i] = initial[i];
    offset_momentum();
    uint32_t h = BENCH_FNV_INIT;
    h = hash_real(h, energy());
    for (int s = 0; s < STEPS; s++)
        advance(DT);
    h = hash_real(h, energy());
    for (int i = 0; i < NBODY; i++) {
        h = hash_real(h, bodies[i].x);
        h = hash_real(h, bodies[i].y);
        h = hash_real(h, bodies[i].z);
    }
    return h;
}

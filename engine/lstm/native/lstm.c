/*
 * Single-layer LSTM forward pass and BPTT backward pass for engine/lstm/fastLstm.ts, as a
 * Node-API module. Built on first use by engine/lstm/native/build.ts with
 * `gcc -O3 -march=native -shared -fPIC` against Node's own headers (no node-gyp).
 *
 * Same maths and layouts as the tfjs path in fastLstm.ts: gate columns [i, f, o, g] (sigmoid
 * gates contiguous), kernel [F, 4H], recurrent [H, 4H], bias [4H]; x is batch-major [B, T, F];
 * the training trace is time-major: h and c [T + 1, B, H] (h[0] = c[0] = 0), activated gates
 * [T, B, 4H], tanh(c_t) [T, B, H].
 *
 * All products go through one register-blocked kernel (gemm below) written with GCC vector
 * extensions, so the same source compiles to AVX-512, AVX2 or SSE depending on -march. exp is
 * a Cody–Waite range reduction with a degree-6 polynomial (relative error ~2e-7), vectorised.
 * One thread; the caller (JS) has validated every length, and this file checks them again
 * because a wrong length here would read or write out of bounds.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__AVX512F__)
#define VL 16
#define MR 6
#define NV 4
#define ISA "avx512"
#elif defined(__AVX__)
#define VL 8
#define MR 6
#define NV 2
#define ISA "avx2"
#else
#define VL 4
#define MR 4
#define NV 2
#define ISA "sse"
#endif

typedef float vf __attribute__((vector_size(VL * 4)));
typedef int32_t vi __attribute__((vector_size(VL * 4)));

#define INLINE static inline __attribute__((always_inline))

INLINE vf ld(const float *p) {
  vf v;
  memcpy(&v, p, sizeof v);
  return v;
}
INLINE void st(float *p, vf v) { memcpy(p, &v, sizeof v); }
INLINE vf splat(float x) { return (vf){} + x; }
/* NaN in a is kept (a != a), so a diverged input or weight stays NaN as on the tfjs path. */
INLINE vf vmax(vf a, vf b) {
  vi m = (a > b) | (a != a);
  return (vf)(((vi)a & m) | ((vi)b & ~m));
}
INLINE vf vmin(vf a, vf b) {
  vi m = (a < b) | (a != a);
  return (vf)(((vi)a & m) | ((vi)b & ~m));
}

/* e^x, x clamped to [-87, 88] (no overflow to inf, no denormals). */
INLINE vf vexp(vf x) {
  x = vmin(vmax(x, splat(-87.0f)), splat(88.0f));
  const float shifter = 12582912.0f; /* 1.5 · 2^23: adding it rounds to an integer */
  vf t = x * 1.44269504088896341f + shifter;
  vf n = t - shifter;
  vi ni = (vi)t - 0x4B400000;
  vf r = x - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  vf p = splat(1.0f / 720);
  p = p * r + 1.0f / 120;
  p = p * r + 1.0f / 24;
  p = p * r + 1.0f / 6;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  return (vf)((vi)p + (ni << 23));
}
INLINE vf vsigmoid(vf z) { return 1.0f / (1.0f + vexp(-z)); }
INLINE vf vtanh(vf z) { return 2.0f / (1.0f + vexp(-2.0f * z)) - 1.0f; }

/* Scalar versions for the columns left over when H is not a multiple of VL. */
INLINE float sexp(float x) {
  vf v = vexp(splat(x));
  return v[0];
}
INLINE float ssigmoid(float z) { return 1.0f / (1.0f + sexp(-z)); }
INLINE float stanh(float z) { return 2.0f / (1.0f + sexp(-2.0f * z)) - 1.0f; }

/* One operand pair of a product: A(i, k) = a[i·ra + k·ca], B row-major [K, N] with stride ldb. */
typedef struct {
  int K;
  const float *a;
  long ra, ca;
  const float *b;
  long ldb;
} seg;

enum { INIT_ZERO, INIT_C, INIT_ROW };

/*
 * mr × (nv·VL) block of C = init + A1·B1 + A2·B2. mr and nv are compile-time constants at every
 * call site (always_inline), so the accumulators live in registers.
 */
INLINE void block(int mr, int nv, int init, const float *row, const seg *s1, const seg *s2, float *c, long ldc) {
  vf acc[MR][NV];
  for (int i = 0; i < mr; i++)
    for (int v = 0; v < nv; v++)
      acc[i][v] = init == INIT_ZERO ? splat(0) : init == INIT_ROW ? ld(row + v * VL) : ld(c + i * ldc + v * VL);
  for (int q = 0; q < 2; q++) {
    const seg *s = q ? s2 : s1;
    if (!s) continue;
    const float *a = s->a, *b = s->b;
    for (int k = 0; k < s->K; k++) {
      vf bv[NV];
      for (int v = 0; v < nv; v++) bv[v] = ld(b + k * s->ldb + v * VL);
      for (int i = 0; i < mr; i++) {
        float av = a[i * s->ra + k * s->ca];
        for (int v = 0; v < nv; v++) acc[i][v] += av * bv[v];
      }
    }
  }
  for (int i = 0; i < mr; i++)
    for (int v = 0; v < nv; v++) st(c + i * ldc + v * VL, acc[i][v]);
}

/* Row remainders (< MR rows) with the row count still a constant inside block(). */
INLINE void rows(int m, int nv, int init, const float *row, const seg *s1, const seg *s2, float *c, long ldc) {
  switch (m) {
  case 1: block(1, nv, init, row, s1, s2, c, ldc); break;
  case 2: block(2, nv, init, row, s1, s2, c, ldc); break;
  case 3: block(3, nv, init, row, s1, s2, c, ldc); break;
#if MR > 4
  case 4: block(4, nv, init, row, s1, s2, c, ldc); break;
  case 5: block(5, nv, init, row, s1, s2, c, ldc); break;
#endif
  default: break;
  }
}

static seg shift(const seg *s, long di, long dj) {
  seg o = *s;
  o.a += di * s->ra;
  o.b += dj;
  return o;
}

/* C[M, N] = init + A1·B1 (+ A2·B2 when s2). */
static void gemm(int M, int N, int init, const float *row, const seg *s1, const seg *s2, float *C, long ldc) {
  int j = 0;
  for (; j + NV * VL <= N; j += NV * VL) {
    int i = 0;
    for (; i + MR <= M; i += MR) {
      seg a = shift(s1, i, j), b = s2 ? shift(s2, i, j) : a;
      block(MR, NV, init, row ? row + j : 0, &a, s2 ? &b : 0, C + i * ldc + j, ldc);
    }
    if (i < M) {
      seg a = shift(s1, i, j), b = s2 ? shift(s2, i, j) : a;
      rows(M - i, NV, init, row ? row + j : 0, &a, s2 ? &b : 0, C + i * ldc + j, ldc);
    }
  }
  for (; j + VL <= N; j += VL) {
    int i = 0;
    for (; i + MR <= M; i += MR) {
      seg a = shift(s1, i, j), b = s2 ? shift(s2, i, j) : a;
      block(MR, 1, init, row ? row + j : 0, &a, s2 ? &b : 0, C + i * ldc + j, ldc);
    }
    if (i < M) {
      seg a = shift(s1, i, j), b = s2 ? shift(s2, i, j) : a;
      rows(M - i, 1, init, row ? row + j : 0, &a, s2 ? &b : 0, C + i * ldc + j, ldc);
    }
  }
  for (; j < N; j++)
    for (int i = 0; i < M; i++) {
      float acc = init == INIT_ZERO ? 0 : init == INIT_ROW ? row[j] : C[i * ldc + j];
      for (int q = 0; q < 2; q++) {
        const seg *s = q ? s2 : s1;
        if (!s) continue;
        for (int k = 0; k < s->K; k++) acc += s->a[i * s->ra + k * s->ca] * s->b[k * s->ldb + j];
      }
      C[i * ldc + j] = acc;
    }
}

/* C[i, j] = Σ_k A[i, k]·Bt[j, k] (both operands contiguous along k): for outputs too narrow
 * for a vector of columns (dx, whose width is the feature count). */
static void dots(int M, int N, int K, const float *A, long lda, const float *Bt, long ldb, float *C, long ldc) {
  for (int i = 0; i < M; i++)
    for (int j = 0; j < N; j++) {
      const float *a = A + i * lda, *b = Bt + j * ldb;
      vf acc = splat(0);
      int k = 0;
      for (; k + VL <= K; k += VL) acc += ld(a + k) * ld(b + k);
      float s = 0;
      for (int l = 0; l < VL; l++) s += acc[l];
      for (; k < K; k++) s += a[k] * b[k];
      C[i * ldc + j] = s;
    }
}

/*
 * Cell update of one step for B rows: z [B, 4H] pre-activations in, activated gates out in
 * place; c and h of the new step written from cPrev.
 */
static void cell(int B, int H, float *z, const float *cPrev, float *cNext, float *hNext, float *tcOut) {
  const int G = 4 * H;
  for (int b = 0; b < B; b++) {
    float *zb = z + (long)b * G;
    const float *cp = cPrev + (long)b * H;
    float *cn = cNext + (long)b * H, *hn = hNext + (long)b * H, *tcb = tcOut ? tcOut + (long)b * H : 0;
    int k = 0;
    for (; k + VL <= H; k += VL) {
      vf ig = vsigmoid(ld(zb + k)), fg = vsigmoid(ld(zb + H + k)), og = vsigmoid(ld(zb + 2 * H + k)), gg = vtanh(ld(zb + 3 * H + k));
      vf cv = fg * ld(cp + k) + ig * gg;
      vf tc = vtanh(cv);
      st(cn + k, cv);
      st(hn + k, og * tc);
      st(zb + k, ig);
      st(zb + H + k, fg);
      st(zb + 2 * H + k, og);
      st(zb + 3 * H + k, gg);
      if (tcb) st(tcb + k, tc);
    }
    for (; k < H; k++) {
      float ig = ssigmoid(zb[k]), fg = ssigmoid(zb[H + k]), og = ssigmoid(zb[2 * H + k]), gg = stanh(zb[3 * H + k]);
      float cv = fg * cp[k] + ig * gg;
      float tc = stanh(cv);
      cn[k] = cv;
      hn[k] = og * tc;
      zb[k] = ig;
      zb[H + k] = fg;
      zb[2 * H + k] = og;
      zb[3 * H + k] = gg;
      if (tcb) tcb[k] = tc;
    }
  }
}

/*
 * Forward over all T steps. keep: h, c [T + 1, B, H], act [T, B, 4H], tc [T, B, H] are the
 * trace; otherwise h is [B, H] (the last hidden state) and the rest is scratch here.
 * Returns 0, or -1 when out of memory.
 */
static int forward(int B, int T, int F, int H, const float *x, const float *kernel, const float *recurrent, const float *bias, int keep,
                   float *h, float *c, float *act, float *tc) {
  const int G = 4 * H;
  const long BH = (long)B * H, BG = (long)B * G;
  float *scratch = 0;
  if (!keep) {
    scratch = malloc(sizeof(float) * (BG + 4 * BH));
    if (!scratch) return -1;
    memset(scratch + BG, 0, sizeof(float) * 4 * BH);
  } else {
    memset(h, 0, sizeof(float) * BH);
    memset(c, 0, sizeof(float) * BH);
  }
  for (int t = 0; t < T; t++) {
    float *z = keep ? act + t * BG : scratch;
    const float *hp = keep ? h + t * BH : scratch + BG + (t & 1) * BH;
    const float *cp = keep ? c + t * BH : scratch + BG + 2 * BH + (t & 1) * BH;
    float *hn = keep ? h + (t + 1) * BH : scratch + BG + ((t + 1) & 1) * BH;
    float *cn = keep ? c + (t + 1) * BH : scratch + BG + 2 * BH + ((t + 1) & 1) * BH;
    /* z = bias + h_{t-1}·R + x_t·K: the input projection rides along in the same blocks. */
    seg sh = {H, hp, H, 1, recurrent, G};
    seg sx = {F, x + (long)t * F, (long)T * F, 1, kernel, G};
    gemm(B, G, INIT_ROW, bias, &sh, &sx, z, G);
    cell(B, H, z, cp, cn, hn, keep ? tc + t * BH : 0);
  }
  if (!keep) {
    memcpy(h, scratch + BG + (T & 1) * BH, sizeof(float) * BH);
    free(scratch);
  }
  return 0;
}

/*
 * BPTT from dL/dh_T. Per step: the gate gradients dZ_t, then dh_{t-1} = dZ_t·Rᵀ, and while
 * dZ_t is hot in cache dR += h_{t-1}ᵀ·dZ_t, dK += x_tᵀ·dZ_t, db += Σ dZ_t, dx_t = dZ_t·Kᵀ.
 */
static int backward(int B, int T, int F, int H, const float *x, const float *kernel, const float *recurrent, const float *h, const float *c,
                    const float *act, const float *tc, const float *dhT, float *dx, float *dK, float *dR, float *db) {
  const int G = 4 * H;
  const long BH = (long)B * H, BG = (long)B * G;
  float *buf = malloc(sizeof(float) * (BG + 3 * BH + (long)G * H + B));
  if (!buf) return -1;
  float *dz = buf, *dh = dz + BG, *dh2 = dh + BH, *dc = dh2 + BH, *rT = dc + BH, *ones = rT + (long)G * H;
  for (int k = 0; k < H; k++)
    for (int j = 0; j < G; j++) rT[(long)j * H + k] = recurrent[(long)k * G + j];
  for (int b = 0; b < B; b++) ones[b] = 1;
  memcpy(dh, dhT, sizeof(float) * BH);
  memset(dc, 0, sizeof(float) * BH);
  memset(dK, 0, sizeof(float) * F * G);
  memset(dR, 0, sizeof(float) * H * G);
  memset(db, 0, sizeof(float) * G);
  for (int t = T - 1; t >= 0; t--) {
    const float *at = act + t * BG, *cp = c + t * BH, *tct = tc + t * BH;
    for (int b = 0; b < B; b++) {
      const float *a = at + (long)b * G, *cb = cp + (long)b * H, *tcb = tct + (long)b * H, *dhb = dh + (long)b * H;
      float *d = dz + (long)b * G, *dcb = dc + (long)b * H;
      int k = 0;
      for (; k + VL <= H; k += VL) {
        vf ig = ld(a + k), fg = ld(a + H + k), og = ld(a + 2 * H + k), gg = ld(a + 3 * H + k), tv = ld(tcb + k), dhv = ld(dhb + k);
        vf dcv = ld(dcb + k) + dhv * og * (1.0f - tv * tv);
        st(d + k, dcv * gg * ig * (1.0f - ig));
        st(d + H + k, dcv * ld(cb + k) * fg * (1.0f - fg));
        st(d + 2 * H + k, dhv * tv * og * (1.0f - og));
        st(d + 3 * H + k, dcv * ig * (1.0f - gg * gg));
        st(dcb + k, dcv * fg);
      }
      for (; k < H; k++) {
        float ig = a[k], fg = a[H + k], og = a[2 * H + k], gg = a[3 * H + k], tv = tcb[k], dhv = dhb[k];
        float dcv = dcb[k] + dhv * og * (1.0f - tv * tv);
        d[k] = dcv * gg * ig * (1.0f - ig);
        d[H + k] = dcv * cb[k] * fg * (1.0f - fg);
        d[2 * H + k] = dhv * tv * og * (1.0f - og);
        d[3 * H + k] = dcv * ig * (1.0f - gg * gg);
        dcb[k] = dcv * fg;
      }
    }
    /* dR += h_{t-1}ᵀ·dZ_t: A(i, k) = h_{t-1}[k, i]. */
    seg sr = {B, h + t * BH, 1, H, dz, G};
    gemm(H, G, INIT_C, 0, &sr, 0, dR, G);
    seg sk = {B, x + (long)t * F, 1, (long)T * F, dz, G};
    gemm(F, G, INIT_C, 0, &sk, 0, dK, G);
    seg sb = {B, ones, 0, 1, dz, G};
    gemm(1, G, INIT_C, 0, &sb, 0, db, G);
    /* dx_t = dZ_t·Kᵀ, written batch-major [B, T, F]. */
    dots(B, F, G, dz, G, kernel, G, dx + (long)t * F, (long)T * F);
    if (t > 0) {
      seg sd = {G, dz, G, 1, rT, H};
      gemm(B, H, INIT_ZERO, 0, &sd, 0, dh2, H);
      float *tmp = dh;
      dh = dh2;
      dh2 = tmp;
    }
  }
  free(buf);
  return 0;
}

/* ---- Node-API glue ---- */

static int f32(napi_env env, napi_value v, size_t want, float **out, const char *name) {
  bool is = false;
  napi_typedarray_type type;
  size_t len = 0;
  void *data = 0;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is || napi_get_typedarray_info(env, v, &type, &len, &data, 0, 0) != napi_ok ||
      type != napi_float32_array) {
    char msg[128];
    snprintf(msg, sizeof msg, "lstm native: %s must be a Float32Array", name);
    napi_throw_type_error(env, 0, msg);
    return 0;
  }
  if (len != want) {
    char msg[160];
    snprintf(msg, sizeof msg, "lstm native: %s has %zu values, expected %zu", name, len, want);
    napi_throw_range_error(env, 0, msg);
    return 0;
  }
  *out = data;
  return 1;
}

static int dims(napi_env env, napi_value *argv, int *d) {
  for (int i = 0; i < 4; i++) {
    if (napi_get_value_int32(env, argv[i], &d[i]) != napi_ok || d[i] < 1 || d[i] > (1 << 20)) {
      napi_throw_range_error(env, 0, "lstm native: B, T, F, H must be integers in [1, 2^20]");
      return 0;
    }
  }
  /* Largest buffer: T·B·4H floats; keep it addressable by long and sane. */
  if ((double)d[0] * d[1] * 4.0 * d[3] > 4e9) {
    napi_throw_range_error(env, 0, "lstm native: shape too large");
    return 0;
  }
  return 1;
}

/* forward(B, T, F, H, x, kernel, recurrent, bias, keep, h, c, act, tc) */
static napi_value js_forward(napi_env env, napi_callback_info info) {
  size_t argc = 13;
  napi_value argv[13];
  if (napi_get_cb_info(env, info, &argc, argv, 0, 0) != napi_ok || argc != 13) {
    napi_throw_error(env, 0, "lstm native: forward takes 13 arguments");
    return 0;
  }
  int d[4];
  if (!dims(env, argv, d)) return 0;
  const size_t B = d[0], T = d[1], F = d[2], H = d[3], G = 4 * H;
  bool keep = false;
  if (napi_get_value_bool(env, argv[8], &keep) != napi_ok) {
    napi_throw_type_error(env, 0, "lstm native: keep must be a boolean");
    return 0;
  }
  float *x, *k, *r, *bias, *h, *c = 0, *act = 0, *tc = 0;
  if (!f32(env, argv[4], B * T * F, &x, "x") || !f32(env, argv[5], F * G, &k, "kernel") || !f32(env, argv[6], H * G, &r, "recurrent") ||
      !f32(env, argv[7], G, &bias, "bias") || !f32(env, argv[9], keep ? (T + 1) * B * H : B * H, &h, "h"))
    return 0;
  if (keep && (!f32(env, argv[10], (T + 1) * B * H, &c, "c") || !f32(env, argv[11], T * B * G, &act, "act") ||
               !f32(env, argv[12], T * B * H, &tc, "tc")))
    return 0;
  if (forward(d[0], d[1], d[2], d[3], x, k, r, bias, keep, h, c, act, tc) != 0) napi_throw_error(env, 0, "lstm native: out of memory");
  return 0;
}

/* backward(B, T, F, H, x, kernel, recurrent, h, c, act, tc, dhT, dx, dK, dR, db) */
static napi_value js_backward(napi_env env, napi_callback_info info) {
  size_t argc = 16;
  napi_value argv[16];
  if (napi_get_cb_info(env, info, &argc, argv, 0, 0) != napi_ok || argc != 16) {
    napi_throw_error(env, 0, "lstm native: backward takes 16 arguments");
    return 0;
  }
  int d[4];
  if (!dims(env, argv, d)) return 0;
  const size_t B = d[0], T = d[1], F = d[2], H = d[3], G = 4 * H;
  float *x, *k, *r, *h, *c, *act, *tc, *dhT, *dx, *dK, *dR, *db;
  if (!f32(env, argv[4], B * T * F, &x, "x") || !f32(env, argv[5], F * G, &k, "kernel") || !f32(env, argv[6], H * G, &r, "recurrent") ||
      !f32(env, argv[7], (T + 1) * B * H, &h, "h") || !f32(env, argv[8], (T + 1) * B * H, &c, "c") ||
      !f32(env, argv[9], T * B * G, &act, "act") || !f32(env, argv[10], T * B * H, &tc, "tc") || !f32(env, argv[11], B * H, &dhT, "dhT") ||
      !f32(env, argv[12], B * T * F, &dx, "dx") || !f32(env, argv[13], F * G, &dK, "dK") || !f32(env, argv[14], H * G, &dR, "dR") ||
      !f32(env, argv[15], G, &db, "db"))
    return 0;
  if (backward(d[0], d[1], d[2], d[3], x, k, r, h, c, act, tc, dhT, dx, dK, dR, db) != 0)
    napi_throw_error(env, 0, "lstm native: out of memory");
  return 0;
}

static napi_value js_isa(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value s;
  napi_create_string_utf8(env, ISA, NAPI_AUTO_LENGTH, &s);
  return s;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor props[] = {
      {"forward", 0, js_forward, 0, 0, 0, napi_enumerable, 0},
      {"backward", 0, js_backward, 0, 0, 0, napi_enumerable, 0},
      {"isa", 0, js_isa, 0, 0, 0, napi_enumerable, 0},
  };
  if (napi_define_properties(env, exports, sizeof props / sizeof props[0], props) != napi_ok) return 0;
  return exports;
}

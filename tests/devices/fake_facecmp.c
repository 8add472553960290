/*
 * A fake vendor face-comparison library with the FC_* C API of
 * frontdesk/devices/face_vendor.py, so the ctypes adapter is tested end to end without
 * a camera. Like a real terminal it keeps the live image to itself: FC_Compare only
 * reports a similarity and a liveness verdict. Test hooks are exported as fake_*.
 *
 * Modes: "ok" (default), "nocamera" / "licence" (FC_Init fails), "noface", "badphoto",
 * "fault", "reset" (-1 once: the terminal forgot its initialisation), "garbled"
 * (a similarity outside [0, 1]).
 */
#include <string.h>

static struct {
    char mode[32];
    double score;
    int liveness, opened, init_calls, close_calls, last_camera, last_len, last_timeout;
    unsigned char first_bytes[2];
} g;

void fake_reset(void) {
    memset(&g, 0, sizeof g);
    strcpy(g.mode, "ok");
    g.score = 0.91;
    g.liveness = 1;
}

__attribute__((constructor)) static void fake_init(void) { fake_reset(); }

void fake_set_mode(const char *mode) { strncpy(g.mode, mode, sizeof g.mode - 1); }
void fake_set_result(double score, int liveness) { g.score = score; g.liveness = liveness; }
int fake_init_calls(void) { return g.init_calls; }
int fake_close_calls(void) { return g.close_calls; }
int fake_last_camera(void) { return g.last_camera; }
int fake_last_len(void) { return g.last_len; }
int fake_last_timeout(void) { return g.last_timeout; }
int fake_photo_is_bmp(void) { return g.first_bytes[0] == 'B' && g.first_bytes[1] == 'M'; }

static int is_mode(const char *m) { return strcmp(g.mode, m) == 0; }

int FC_Init(int camera) {
    g.init_calls++;
    g.last_camera = camera;
    if (is_mode("nocamera")) return -1;
    if (is_mode("licence")) return -2;
    g.opened = 1;
    return 0;
}

int FC_Compare(const unsigned char *photo, int photo_len, int timeout_ms, double *score,
               int *liveness) {
    if (!g.opened) return -1;
    if (is_mode("reset")) {
        g.opened = 0;
        strcpy(g.mode, "ok");
        return -1;
    }
    g.last_len = photo_len;
    g.last_timeout = timeout_ms;
    g.first_bytes[0] = photo_len > 0 ? photo[0] : 0;
    g.first_bytes[1] = photo_len > 1 ? photo[1] : 0;
    if (is_mode("noface")) return 1;
    if (is_mode("badphoto")) return 2;
    if (is_mode("fault")) return -3;
    if (is_mode("weird")) return 77;
    *score = is_mode("garbled") ? 42.0 : g.score;
    *liveness = g.liveness;
    return 0;
}

void FC_Close(void) {
    g.close_calls++;
    g.opened = 0;
}

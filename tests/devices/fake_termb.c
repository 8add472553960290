/*
 * A fake vendor ID-card reader library with the termb.dll / libtermb.so C API, so the
 * ctypes adapter (frontdesk/devices/termb.py) is tested end to end without hardware.
 *
 * One source, three vendor dialects chosen at compile time:
 *   (default)            InitComm ... int GetName(char *buf)            GetPeople, GetBirthday
 *   -DFAKE_DIALECT_CVR   CVR_InitComm ... int GetPeopleName(char *buf, int *len)
 *   -DFAKE_DIALECT_SDSES InitComm ... char *GetName(void)               GetNation, GetSignGov
 *
 * Strings are GBK bytes, as on the vendors' Windows builds. Like a real reader, a card
 * that has been read must be lifted (fake_lift) before Authenticate finds it again.
 * Read_Content writes zp.bmp (102x126, 24-bit) into the photo folder (default: the
 * working folder). Test hooks are exported as fake_*; FAKE_TERMB_MODE in the environment
 * sets the initial mode.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELD_MAX 512

static struct {
    char mode[32];
    int opened, read_done, close_calls, last_port, last_active;
    char photo_dir[1024];
    char name[FIELD_MAX], sex[FIELD_MAX], nation[FIELD_MAX], birthday[FIELD_MAX];
    char address[FIELD_MAX], idno[FIELD_MAX], department[FIELD_MAX];
    char start_date[FIELD_MAX], end_date[FIELD_MAX];
} g;

static void set(char *dst, const char *src) {
    strncpy(dst, src, FIELD_MAX - 1);
    dst[FIELD_MAX - 1] = '\0';
}

static int is_mode(const char *m) { return strcmp(g.mode, m) == 0; }

void fake_reset(void) {
    const char *env = getenv("FAKE_TERMB_MODE");
    memset(&g, 0, sizeof g);
    strncpy(g.mode, env && *env ? env : "card", sizeof g.mode - 1);
    set(g.name, "\xd5\xc5\xc8\xfd    "); /* 张三, space padded like the chip's fields */
    set(g.sex, "\xc4\xd0");              /* 男 */
    set(g.nation, "\xba\xba");           /* 汉 */
    set(g.birthday, "19900307");
    /* 北京市朝阳区建国路88号 */
    set(g.address, "\xb1\xb1\xbe\xa9\xca\xd0\xb3\xaf\xd1\xf4\xc7\xf8\xbd\xa8\xb9\xfa\xc2\xb7"
                   "88\xba\xc5");
    set(g.idno, "110105199003071239");
    /* 北京市公安局朝阳分局 */
    set(g.department, "\xb1\xb1\xbe\xa9\xca\xd0\xb9\xab\xb0\xb2\xbe\xd6\xb3\xaf\xd1\xf4"
                      "\xb7\xd6\xbe\xd6");
    set(g.start_date, "20150101");
    set(g.end_date, "20350101");
}

__attribute__((constructor)) static void fake_init(void) { fake_reset(); }

void fake_set_mode(const char *mode) { strncpy(g.mode, mode, sizeof g.mode - 1); }
void fake_lift(void) { g.read_done = 0; }
void fake_set_photo_dir(const char *dir) { strncpy(g.photo_dir, dir, sizeof g.photo_dir - 1); }
int fake_last_port(void) { return g.last_port; }
int fake_last_active(void) { return g.last_active; }
int fake_close_calls(void) { return g.close_calls; }

int fake_set_field(const char *key, const char *value) {
    struct { const char *key; char *dst; } map[] = {
        {"name", g.name}, {"sex", g.sex}, {"nation", g.nation}, {"birthday", g.birthday},
        {"address", g.address}, {"idno", g.idno}, {"department", g.department},
        {"start_date", g.start_date}, {"end_date", g.end_date},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (strcmp(map[i].key, key) == 0) {
            set(map[i].dst, value);
            return 1;
        }
    }
    return 0;
}

static void put_le(unsigned char *p, unsigned v, int n) {
    for (int i = 0; i < n; i++) p[i] = (unsigned char)(v >> (8 * i));
}

static void write_photo(void) {
    enum { W = 102, H = 126, ROW = (W * 3 + 3) & ~3, DATA = ROW * H };
    static unsigned char bmp[54 + DATA];
    char path[1100];
    memset(bmp, 0, sizeof bmp);
    bmp[0] = 'B';
    bmp[1] = 'M';
    put_le(bmp + 2, sizeof bmp, 4);
    put_le(bmp + 10, 54, 4);
    put_le(bmp + 14, 40, 4);
    put_le(bmp + 18, W, 4);
    put_le(bmp + 22, H, 4);
    put_le(bmp + 26, 1, 2);
    put_le(bmp + 28, 24, 2);
    put_le(bmp + 34, DATA, 4);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            unsigned char *px = bmp + 54 + y * ROW + x * 3;
            px[0] = (unsigned char)(2 * x); /* a gradient: any picture will do */
            px[1] = (unsigned char)(2 * y);
            px[2] = 0x80;
        }
    snprintf(path, sizeof path, "%s%szp.bmp", g.photo_dir, g.photo_dir[0] ? "/" : "");
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(bmp, 1, sizeof bmp, f);
        fclose(f);
    }
}

#if defined(FAKE_DIALECT_CVR)
#define API(name) CVR_##name
#define NO_CARD_RC 2 /* 华视: 寻卡失败 */
#else
#define API(name) name
#define NO_CARD_RC 0 /* 神思 / plain termb: 0 = no card, or not lifted since last read */
#endif

int API(InitComm)(int port) {
    g.last_port = port;
    if (is_mode("noport")) return 0;
    if (!((port >= 1 && port <= 16) || (port >= 1001 && port <= 1016))) return 0;
    g.opened = 1;
    return 1;
}

int API(CloseComm)(void) {
    g.close_calls++;
    g.opened = 0;
    return 1;
}

int API(Authenticate)(void) {
    if (!g.opened || is_mode("disconnected")) return 4;
    if (is_mode("nocard") || g.read_done) return NO_CARD_RC;
    if (is_mode("authfail")) return 3;
    return 1;
}

int API(Read_Content)(int active) {
    g.last_active = active;
    if (!g.opened) return 4;
    if (is_mode("readfail")) return 0;
    if (!is_mode("nophoto")) write_photo();
    g.read_done = 1;
    return 1;
}

#if defined(FAKE_DIALECT_CVR)
#define GETTER(fn, field)                                                   \
    int fn(char *buf, int *len) {                                           \
        if (is_mode("getterfail") || *len <= 0) return 0;                   \
        size_t n = strlen(g.field);                                         \
        if (n >= (size_t)*len) n = (size_t)*len - 1;                        \
        memcpy(buf, g.field, n);                                            \
        buf[n] = '\0';                                                      \
        *len = (int)n;                                                      \
        return 1;                                                           \
    }
GETTER(GetPeopleName, name)
GETTER(GetPeopleSex, sex)
GETTER(GetPeopleNation, nation)
GETTER(GetPeopleBirthday, birthday)
GETTER(GetPeopleAddress, address)
GETTER(GetPeopleIDCode, idno)
GETTER(GetDepartment, department)
GETTER(GetStartDate, start_date)
GETTER(GetEndDate, end_date)
#elif defined(FAKE_DIALECT_SDSES)
#define GETTER(fn, field) \
    char *fn(void) { return g.field; }
GETTER(GetName, name)
GETTER(GetSex, sex)
GETTER(GetNation, nation)
GETTER(GetBornDate, birthday)
GETTER(GetAddress, address)
GETTER(GetIDNo, idno)
GETTER(GetSignGov, department)
GETTER(GetStartDate, start_date)
GETTER(GetEndDate, end_date)
#else
#define GETTER(fn, field)                                                   \
    int fn(char *buf) {                                                     \
        if (is_mode("getterfail")) return 0;                                \
        strcpy(buf, g.field);                                               \
        return 1;                                                           \
    }
GETTER(GetName, name)
GETTER(GetSex, sex)
GETTER(GetPeople, nation)
GETTER(GetBirthday, birthday)
GETTER(GetAddress, address)
GETTER(GetIDNo, idno)
GETTER(GetDepartment, department)
GETTER(GetStartDate, start_date)
GETTER(GetEndDate, end_date)
#endif

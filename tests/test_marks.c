/* Unit tests of the marks table (src/marks.c): spans keyed by (container,
 * slot), the root under a NULL parent, growth to many entries, and member
 * lookup through a json-c object's own key strings. */
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "unit.h"

/* The table keeps offsets and asks its source for line and column: a text
 * of lines of W bytes (W - 1 dots and a LF), where line L, column C is byte
 * (L - 1) * W + C - 1. */
enum { W = 16, LINES = 100002 };

static void text_init(sgi_source *src)
{
    char *t = malloc((size_t)W * LINES);
    ck_assert_ptr_nonnull(t);
    for (size_t i = 0; i < LINES; i++) {
        memset(t + i * W, '.', W - 1);
        t[i * W + W - 1] = '\n';
    }
    ck_assert_int_eq(sgi_source_init(src, "t.yaml", t, (size_t)W * LINES), SG_OK);
    free(t);
    sg_diagnostics *d = sg_diagnostics_new();
    ck_assert_int_eq(sgi_source_check_encoding(src, d), SG_OK);
    sg_diagnostics_free(d);
}

static sg_mark mk(unsigned line, unsigned col)
{
    sg_mark m = {line, col, (size_t)(line - 1) * W + col - 1};
    return m;
}

static sgi_span span_of(unsigned line, unsigned col)
{
    sgi_span s;
    s.key_start = mk(line, col);
    s.start = mk(line, col + 3);
    s.end = mk(line + 1, 1);
    return s;
}

static int mark_eq(const sg_mark *a, const sg_mark *b)
{
    return a->line == b->line && a->column == b->column && a->offset == b->offset;
}

static int span_eq(const sgi_span *a, const sgi_span *b)
{
    return mark_eq(&a->key_start, &b->key_start) && mark_eq(&a->start, &b->start) &&
           mark_eq(&a->end, &b->end);
}

/* The span of (P, SLOT), which must exist. */
static sgi_span get(const sgi_marks *m, const void *p, uintptr_t slot)
{
    sgi_span s;
    ck_assert(sgi_marks_get(m, p, slot, &s));
    return s;
}

START_TEST(test_put_get_overwrite)
{
    sgi_source src;
    text_init(&src);
    sgi_marks *m = sgi_marks_new(&src);
    ck_assert_ptr_nonnull(m);
    ck_assert_uint_eq(sgi_marks_count(m), 0);
    int parent_a, parent_b;
    sgi_span s1 = span_of(1, 1), s2 = span_of(2, 5), s3 = span_of(9, 9);

    ck_assert(!sgi_marks_get(m, &parent_a, 0, &(sgi_span){0}));
    ck_assert_int_eq(sgi_marks_put(m, &parent_a, 0, &s1), SG_OK);
    ck_assert_int_eq(sgi_marks_put(m, &parent_a, 1, &s2), SG_OK);
    ck_assert_int_eq(sgi_marks_put(m, &parent_b, 0, &s3), SG_OK);
    ck_assert_uint_eq(sgi_marks_count(m), 3);

    ck_assert(span_eq((sgi_span[]){get(m, &parent_a, 0)}, &s1));
    ck_assert(span_eq((sgi_span[]){get(m, &parent_a, 1)}, &s2));
    ck_assert(span_eq((sgi_span[]){get(m, &parent_b, 0)}, &s3));
    ck_assert(!sgi_marks_get(m, &parent_b, 1, &(sgi_span){0}));
    ck_assert(!sgi_marks_get(m, &parent_a, 2, &(sgi_span){0}));

    /* The table keeps a copy. */
    s1.start.line = 77;
    ck_assert_uint_eq(get(m, &parent_a, 0).start.line, 1);

    /* Overwrite: same key, new span, no new entry. */
    ck_assert_int_eq(sgi_marks_put(m, &parent_a, 1, &s3), SG_OK);
    ck_assert_uint_eq(sgi_marks_count(m), 3);
    ck_assert(span_eq((sgi_span[]){get(m, &parent_a, 1)}, &s3));
    sgi_marks_free(m);
    sgi_source_fini(&src);
}
END_TEST

/* The root lives under a NULL parent; slot 0 of a NULL parent and slot 0 of
 * a real container are different entries. */
START_TEST(test_root)
{
    sgi_source src;
    text_init(&src);
    sgi_marks *m = sgi_marks_new(&src);
    int arr;
    sgi_span root = span_of(1, 1), child = span_of(3, 3);
    ck_assert(!sgi_marks_get(m, NULL, 0, &(sgi_span){0}));
    ck_assert_int_eq(sgi_marks_put(m, NULL, 0, &root), SG_OK);
    ck_assert_int_eq(sgi_marks_put(m, &arr, 0, &child), SG_OK);
    ck_assert(span_eq((sgi_span[]){get(m, NULL, 0)}, &root));
    ck_assert(span_eq((sgi_span[]){get(m, &arr, 0)}, &child));
    ck_assert_uint_eq(sgi_marks_count(m), 2);
    sgi_marks_free(m);
    sgi_source_fini(&src);

    /* NULL tables */
    ck_assert(!sgi_marks_get(NULL, NULL, 0, &(sgi_span){0}));
    ck_assert(!sgi_marks_member(NULL, NULL, "a", &(sgi_span){0}));
    ck_assert_uint_eq(sgi_marks_count(NULL), 0);
    sgi_marks_free(NULL);
}
END_TEST

/* 100 000 elements of one array plus 100 000 distinct parents: the table
 * grows and every entry is still found (and absent ones are not). */
START_TEST(test_many)
{
    enum { N = 100000 };
    sgi_source src;
    text_init(&src);
    sgi_marks *m = sgi_marks_new(&src);
    char *parents = malloc(N);
    ck_assert_ptr_nonnull(parents);
    int arr;
    for (unsigned i = 0; i < N; i++) {
        sgi_span s = span_of(i + 1, 1);
        ck_assert_int_eq(sgi_marks_put(m, &arr, i, &s), SG_OK);
        sgi_span t = span_of(i + 1, 2);
        ck_assert_int_eq(sgi_marks_put(m, parents + i, 0, &t), SG_OK);
    }
    ck_assert_uint_eq(sgi_marks_count(m), 2 * N);
    for (unsigned i = 0; i < N; i++) {
        sgi_span s = get(m, &arr, i);
        ck_assert_uint_eq(s.start.line, i + 1);
        ck_assert_uint_eq(s.start.column, 4);
        sgi_span t = get(m, parents + i, 0);
        ck_assert_uint_eq(t.start.line, i + 1);
        ck_assert_uint_eq(t.start.column, 5);
    }
    ck_assert(!sgi_marks_get(m, &arr, N, &(sgi_span){0}));
    ck_assert(!sgi_marks_get(m, parents, 1, &(sgi_span){0}));
    /* Overwriting all of them after growth keeps the count. */
    for (unsigned i = 0; i < N; i += 3) {
        sgi_span s = span_of(7, 7);
        ck_assert_int_eq(sgi_marks_put(m, &arr, i, &s), SG_OK);
    }
    ck_assert_uint_eq(sgi_marks_count(m), 2 * N);
    ck_assert_uint_eq(get(m, &arr, 3).start.line, 7);
    ck_assert_uint_eq(get(m, &arr, 4).start.line, 5);
    sgi_marks_free(m);
    sgi_source_fini(&src);
    free(parents);
}
END_TEST

/* Members are keyed by the address of the key string json-c stores; lookup
 * by name goes through the object. */
START_TEST(test_member)
{
    sgi_source src;
    text_init(&src);
    sgi_marks *m = sgi_marks_new(&src);
    struct json_object *obj = json_object_new_object();
    ck_assert_int_eq(json_object_object_add(obj, "a", json_object_new_int(1)), 0);
    ck_assert_int_eq(json_object_object_add(obj, "b/c", NULL), 0); /* null value */
    ck_assert_int_eq(json_object_object_add(obj, "", json_object_new_string("e")), 0);
    static const char *const keys[] = {"a", "b/c", ""};
    for (unsigned i = 0; i < 3; i++) {
        struct lh_entry *le = lh_table_lookup_entry(json_object_get_object(obj), keys[i]);
        ck_assert_ptr_nonnull(le);
        sgi_span s = span_of(i + 1, 1);
        ck_assert_int_eq(sgi_marks_put(m, obj, (uintptr_t)le->k, &s), SG_OK);
    }
    for (unsigned i = 0; i < 3; i++) {
        /* a key string from elsewhere: found by content, not address */
        char copy[8];
        strcpy(copy, keys[i]);
        sgi_span s;
        ck_assert(sgi_marks_member(m, obj, copy, &s));
        ck_assert_uint_eq(s.start.line, i + 1);
    }
    ck_assert(!sgi_marks_member(m, obj, "zz", &(sgi_span){0}));
    /* not an object, or NULL */
    struct json_object *arr = json_object_new_array();
    ck_assert(!sgi_marks_member(m, arr, "a", &(sgi_span){0}));
    ck_assert(!sgi_marks_member(m, NULL, "a", &(sgi_span){0}));
    /* a member of another object with the same name is another entry */
    struct json_object *other = json_object_new_object();
    json_object_object_add(other, "a", json_object_new_int(2));
    ck_assert(!sgi_marks_member(m, other, "a", &(sgi_span){0}));
    json_object_put(other);
    json_object_put(arr);
    json_object_put(obj);
    sgi_marks_free(m);
    sgi_source_fini(&src);
}
END_TEST

/* Through the builder: every value of a parsed document has its span. */
START_TEST(test_member_from_document)
{
    static const char in[] = "a:\n  b: ~\n  c: [1, 2]\n";
    sg_diagnostics *d = sg_diagnostics_new();
    sg_document *doc = NULL;
    ck_assert_int_eq(sg_document_parse("x.yaml", in, sizeof in - 1, NULL, d, &doc), SG_OK);
    struct json_object *root = sg_document_root(doc);
    sgi_span s;
    ck_assert(sgi_marks_member(doc->marks, root, "a", &s));
    ck_assert_uint_eq(s.key_start.line, 1);
    ck_assert_uint_eq(s.key_start.column, 1);
    ck_assert_uint_eq(s.start.line, 2);
    ck_assert_uint_eq(s.start.column, 3);
    struct json_object *a = json_object_object_get(root, "a");
    ck_assert(sgi_marks_member(doc->marks, a, "b", &s)); /* a null value has marks too */
    ck_assert_uint_eq(s.key_start.line, 2);
    ck_assert_uint_eq(s.key_start.column, 3);
    ck_assert_uint_eq(s.start.column, 6);
    ck_assert_uint_eq(s.end.column, 7);
    struct json_object *c = json_object_object_get(a, "c");
    ck_assert(sgi_marks_get(doc->marks, c, 1, &s));
    ck_assert_uint_eq(s.start.line, 3);
    ck_assert_uint_eq(s.start.column, 10);
    ck_assert_uint_eq(s.key_start.column, 10); /* elements: key marks = start */
    ck_assert(sgi_marks_get(doc->marks, NULL, 0, &s));
    ck_assert_uint_eq(s.start.line, 1);
    ck_assert_uint_eq(s.start.column, 1);
    /* root + a + b + c + 2 elements */
    ck_assert_uint_eq(sgi_marks_count(doc->marks), 6);
    sg_document_free(doc);
    sg_diagnostics_free(d);
}
END_TEST

Suite *suite_marks(void)
{
    Suite *s = suite_create("marks");
    TCase *tc = tcase_create("table");
    tcase_add_test(tc, test_put_get_overwrite);
    tcase_add_test(tc, test_root);
    tcase_add_test(tc, test_many);
    tcase_add_test(tc, test_member);
    tcase_add_test(tc, test_member_from_document);
    suite_add_tcase(s, tc);
    return s;
}

/* Runs every unit suite. CK_RUN_SUITE=name runs one (Check's own variable). */
#include <stdlib.h>

#include "unit.h"

int main(void)
{
    SRunner *sr = srunner_create(suite_source());
    srunner_add_suite(sr, suite_json_reader());
    srunner_add_suite(sr, suite_yaml_reader());
    srunner_add_suite(sr, suite_builder());
    srunner_add_suite(sr, suite_marks());
    srunner_add_suite(sr, suite_document());
    srunner_add_suite(sr, suite_resolve());
    srunner_add_suite(sr, suite_diag());
    srunner_add_suite(sr, suite_report());
    srunner_add_suite(sr, suite_emit());
    srunner_add_suite(sr, suite_limits());
    srunner_add_suite(sr, suite_lint());
    srunner_add_suite(sr, suite_swagger());
    srunner_add_suite(sr, suite_apig());
    srunner_add_suite(sr, suite_decimal());
    srunner_add_suite(sr, suite_regex());
    srunner_add_suite(sr, suite_format());
    srunner_add_suite(sr, suite_schema());
    srunner_add_suite(sr, suite_config());
    srunner_add_suite(sr, suite_normalize());
    srunner_add_suite(sr, suite_plan());
    srunner_add_suite(sr, suite_request());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

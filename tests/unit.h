/* Shared declarations of the Check unit tests: one suite per module. */
#ifndef SG_TESTS_UNIT_H
#define SG_TESTS_UNIT_H

#include <check.h>

#include "internal.h"

Suite *suite_source(void);
Suite *suite_json_reader(void);
Suite *suite_yaml_reader(void);
Suite *suite_builder(void);
Suite *suite_marks(void);
Suite *suite_document(void);
Suite *suite_resolve(void);
Suite *suite_diag(void);
Suite *suite_report(void);
Suite *suite_emit(void);
Suite *suite_limits(void);
Suite *suite_lint(void);
Suite *suite_swagger(void);
Suite *suite_apig(void);
Suite *suite_decimal(void);
Suite *suite_regex(void);
Suite *suite_format(void);
Suite *suite_schema(void);
Suite *suite_config(void);
Suite *suite_normalize(void);
Suite *suite_plan(void);
Suite *suite_request(void);

#endif

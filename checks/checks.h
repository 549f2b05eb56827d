/* SPDX-License-Identifier: MIT */
/*
 * The ops struct of every check, for the registry. Adding a check: its
 * file(s) under checks/, one line here, one line in registry.c, its test,
 * and its sources in checks/CMakeLists.txt.
 */
#ifndef HUOLTO_CHECKS_CHECKS_H
#define HUOLTO_CHECKS_CHECKS_H

#include "huolto/check.h"

extern const struct hu_check_ops hu_check_php;
extern const struct hu_check_ops hu_check_tls;
extern const struct hu_check_ops hu_check_dns;
extern const struct hu_check_ops hu_check_cms;
extern const struct hu_check_ops hu_check_db;

#endif

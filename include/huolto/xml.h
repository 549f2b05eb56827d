/* SPDX-License-Identifier: MIT */
/*
 * Parsing a whole XML document with expat, entity declarations refused:
 * they are how XML bombs start, and none of the files huolto reads (Joomla
 * manifests and update files, drupal.org's release histories) has one.
 */
#ifndef HUOLTO_XML_H
#define HUOLTO_XML_H

#include <expat.h>
#include <stddef.h>

struct hu_xml_handlers {
	XML_StartElementHandler start;
	XML_EndElementHandler end;
	XML_CharacterDataHandler text; /* or NULL */
};

/*
 * Parse data (len bytes, UTF-8 unless it declares otherwise) with h, which
 * get user. 0; -ENOMEM; -EFBIG over 2 GiB; -EBADMSG with why (at most
 * why_len bytes) saying what is wrong and on which line: "an entity
 * declaration (refused) at line 1", "no element found at line 3".
 */
int hu_xml_parse(const char *data, size_t len, const struct hu_xml_handlers *h, void *user,
		 char *why, size_t why_len);

#endif

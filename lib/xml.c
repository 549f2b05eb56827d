/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "huolto/xml.h"

/* The parse: the caller's handlers and data, and whether an entity was declared. */
struct parse {
	XML_Parser parser;
	const struct hu_xml_handlers *h;
	void *user;
	bool refused;
};

static void XMLCALL on_start(void *data, const XML_Char *el, const XML_Char **atts)
{
	struct parse *p = data;

	p->h->start(p->user, el, atts);
}

static void XMLCALL on_end(void *data, const XML_Char *el)
{
	struct parse *p = data;

	p->h->end(p->user, el);
}

static void XMLCALL on_text(void *data, const XML_Char *s, int len)
{
	struct parse *p = data;

	p->h->text(p->user, s, len);
}

static void XMLCALL on_entity(void *data, const XML_Char *name, int is_param, const XML_Char *value,
			      int value_len, const XML_Char *base, const XML_Char *system_id,
			      const XML_Char *public_id, const XML_Char *notation)
{
	struct parse *p = data;

	(void)name, (void)is_param, (void)value, (void)value_len, (void)base;
	(void)system_id, (void)public_id, (void)notation;
	p->refused = true;
	XML_StopParser(p->parser, XML_FALSE);
}

int hu_xml_parse(const char *data, size_t len, const struct hu_xml_handlers *h, void *user,
		 char *why, size_t why_len)
{
	struct parse p = { .h = h, .user = user };
	int r = 0;

	if (len > (size_t)INT32_MAX) {
		snprintf(why, why_len, "larger than 2 GiB");
		return -EFBIG;
	}
	p.parser = XML_ParserCreate(NULL);
	if (!p.parser)
		return -ENOMEM;
	XML_SetUserData(p.parser, &p);
	XML_SetElementHandler(p.parser, on_start, on_end);
	if (h->text)
		XML_SetCharacterDataHandler(p.parser, on_text);
	XML_SetEntityDeclHandler(p.parser, on_entity);
	XML_SetParamEntityParsing(p.parser, XML_PARAM_ENTITY_PARSING_NEVER);
	if (XML_Parse(p.parser, data, (int)len, XML_TRUE) != XML_STATUS_OK) {
		enum XML_Error e = XML_GetErrorCode(p.parser);
		if (e == XML_ERROR_NO_MEMORY)
			r = -ENOMEM;
		else
			r = -EBADMSG;
		snprintf(why, why_len, "%s at line %lu",
			 p.refused ? "an entity declaration (refused)" : XML_ErrorString(e),
			 (unsigned long)XML_GetCurrentLineNumber(p.parser));
	}
	XML_ParserFree(p.parser);
	return r;
}

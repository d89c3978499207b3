/* The rule catalog: every rule id once, with its checker, default severity
 * and a one-line summary. Diagnostics name these ids; tests check that every
 * id a diagnostic uses is listed here. */
#include <string.h>

#include "internal.h"

static const sg_rule rules[] = {
    /* model: reading bytes into a document (readers, builder, document) */
    {"io", "model", SG_SEVERITY_ERROR, "the file cannot be read", NULL,
     "The file could not be opened or read: it is missing, a directory, not readable, or reading failed. Nothing else is checked. Fix the path or the permissions."},
    {"encoding", "model", SG_SEVERITY_ERROR, "the file is not UTF-8 text (UTF-16/32, NUL, invalid UTF-8, stray BOM)", NULL,
     "Swagger files are read as UTF-8 only: one leading byte order mark is accepted, UTF-16 and UTF-32 (detected by their byte patterns), NUL bytes, invalid or overlong UTF-8 sequences and a byte order mark later in the file are refused, at the first offending byte. Save the file as UTF-8 without NUL characters."},
    {"json-syntax", "model", SG_SEVERITY_ERROR, "the file is not strict JSON (RFC 8259)", NULL,
     "A .json file (or one that starts with { or [) is read as strict RFC 8259 JSON: no comments, no trailing commas, no single quotes, no NaN or Infinity, no leading zeros, no raw control characters in strings, nothing after the value. The finding is at the first character that cannot be read, with a hint where one helps. Fix the syntax, or save the file as .yaml if it is meant as YAML."},
    {"yaml-syntax", "model", SG_SEVERITY_ERROR, "the file is not valid YAML", NULL,
     "libyaml could not parse the file: wrong indentation, a tab used for indentation, an unclosed quote or bracket, a colon in a plain value where a mapping was not meant. The finding is at the position libyaml reports, with a hint where one helps. Fix the syntax; quoting a value that holds ': ' or ' #' is the usual cure."},
    {"empty-document", "model", SG_SEVERITY_ERROR, "the file holds no document", NULL,
     "The file holds no value at all: it is empty, or only whitespace or comments. A Swagger file is an object that starts with swagger: \"2.0\"."},
    {"limit", "model", SG_SEVERITY_ERROR, "the input exceeds a limit (size, depth, nodes, alias expansion, key length)", NULL,
     "The input exceeds one of the limits that protect the tools from hostile or broken files: bytes in the file (checked before reading), nesting depth, number of values, nodes added by YAML aliases and merge keys, bytes in one key. Reading stops at the first limit reached. If the file is legitimate, raise the limit named in the message with --limit NAME=VALUE (swaggate lint --limit help lists them)."},
    {"yaml-multiple-documents", "model", SG_SEVERITY_ERROR, "a Swagger file holds exactly one YAML document", NULL,
     "A YAML stream may hold several documents separated by ---, but a Swagger file is one document and importers read only one of them. Split the stream into files or remove the extra documents."},
    {"yaml-key", "model", SG_SEVERITY_ERROR, "a mapping key must be a non-empty scalar to become a JSON key", NULL,
     "JSON keys are strings, so a YAML mapping key must be a non-empty scalar: a sequence or mapping used as a key (? [a, b]) or an empty key has no JSON form. Write the key as a plain string."},
    {"yaml-alias", "model", SG_SEVERITY_ERROR, "an alias names no anchor, or its own ancestor", NULL,
     "An alias (*name) must name an anchor (&name) defined earlier in the file, and it may not point at a node that contains the alias itself, which would make the value infinite. Define the anchor before its use, or copy the content."},
    {"yaml-merge", "model", SG_SEVERITY_ERROR, "a merge key (<<) takes a mapping or a sequence of mappings", NULL,
     "A merge key (<<: *base) copies the members of a mapping, or of each mapping in a sequence, into the mapping that holds it; any other value is an error. Merge keys come from YAML 1.1 and are supported within the same expansion budget as aliases; keys written next to << win over merged ones."},
    {"yaml-tag", "model", SG_SEVERITY_ERROR, "only the YAML core tags are honoured; others are refused", NULL,
     "The YAML core tags (!!str, !!int, !!float, !!bool, !!null, !!map, !!seq) and the non-specific '!' are honoured; other tags (!!binary, !!timestamp, application tags such as !Ref) have no JSON meaning and are refused. Remove the tag, or quote the value."},
    {"yaml-non-finite", "model", SG_SEVERITY_ERROR, ".inf and .nan have no JSON form", NULL,
     ".inf, -.inf and .nan are YAML floats with no JSON representation, so the document cannot become the JSON that importers read. Use a finite number or a string."},
    {"yaml-1.1-scalar", "model", SG_SEVERITY_WARNING, "a plain scalar that YAML 1.1 tools read differently from YAML 1.2", NULL,
     "YAML 1.2, which swaggate reads, and YAML 1.1, which many tools still use, type some plain scalars differently: yes, no, on and off are strings in 1.2 but booleans in 1.1; 010 is 10 in 1.2 but octal 8 in 1.1; a version such as 1.10 is the number 1.1 in both. The value is read as YAML 1.2 says, with this warning. Quote the value to make it a string everywhere."},
    {"duplicate-key", "model", SG_SEVERITY_ERROR, "a key appears twice in one mapping or object", NULL,
     "A key appears twice in one mapping or object. JSON and YAML tools disagree on what that means: most keep the last value silently, some the first, some refuse the file, so the value APIG sees may not be the one you edited. Both places are reported; remove one of them."},
    {"key-nul", "model", SG_SEVERITY_ERROR, "a key holds the NUL character (\\u0000)", NULL,
     "A key contains the NUL character (\\u0000): C-based tools, json-c among them, cut the key at that character, so two different keys can collide. Remove the character from the key."},
    {"document-root", "model", SG_SEVERITY_ERROR, "a Swagger document is an object", NULL,
     "The top-level value of a Swagger file must be an object (a mapping): an array, a string or a number is not a Swagger document. APIG answers APIG.3601 for such a file."},
    {"swagger-version", "model", SG_SEVERITY_ERROR, "the swagger field must be the string \"2.0\"", NULL,
     "APIG imports Swagger 2.0 only, recognised by the string \"2.0\" in the swagger field. The field may be missing (an OpenAPI 3 document has openapi instead), hold another version, or hold the number 2.0, which YAML makes of an unquoted swagger: 2.0 and which is not the string. Write swagger: \"2.0\" with quotes. APIG answers APIG.3601."},
    {"version-type", "model", SG_SEVERITY_ERROR, "info.version read as a number: quote it", NULL,
     "info.version is a string in Swagger 2.0, but YAML reads an unquoted version such as 1.0 or 1.10 as a number, and 1.10 even becomes 1.1. Quote it: version: \"1.10\"."},
    /* swagger: the Swagger 2.0 rules a schema cannot express (check_swagger.c and its parts) */
    {"path-param-undefined", "swagger", SG_SEVERITY_ERROR, "a {name} in a path template has no in: path parameter", "APIG.2026",
     "Every variable of a path template ({id} in /pets/{id}) needs a parameter with in: path and that name, either in the path item's parameters or in each operation's. Without it clients cannot know what to send and APIG refuses the API with APIG.2026. Add {name: id, in: path, required: true, type: string} to the path item's parameters. A {name+} variable (APIG's greedy form) is served by a parameter called name."},
    {"path-param-unused", "swagger", SG_SEVERITY_ERROR, "an in: path parameter names no variable of the path template", NULL,
     "A parameter with in: path must name a {variable} of the path it belongs to; otherwise it can never receive a value. Fix the name (names are case-sensitive), add the variable to the path, or move the parameter to another location (query, header)."},
    {"path-param-required", "swagger", SG_SEVERITY_ERROR, "a path parameter must say required: true", NULL,
     "A path parameter is part of the URL, so it is always present: Swagger 2.0 requires required: true on it. Add required: true."},
    {"path-template-collision", "swagger", SG_SEVERITY_ERROR, "two path templates differ only in their variables' names", "APIG.3301",
     "/users/{id} and /users/{name} match exactly the same requests, so a router cannot tell them apart; Swagger 2.0 tools and APIG (APIG.3301, same method and path) treat them as one. Merge the two path items into one and use one variable name. The finding is at the later path; the related location is the earlier one. The APIG code is given when both paths define the same method."},
    {"operation-id-duplicate", "swagger", SG_SEVERITY_ERROR, "an operationId is used by two operations", "APIG.3202",
     "operationIds identify operations and must be unique in the document. APIG names each API after its operationId, and within one import the later API with a taken name fails (APIG.3202). Rename one; the finding is at the second use, the related location at the first."},
    {"parameter-duplicate", "swagger", SG_SEVERITY_ERROR, "a parameter appears twice (same name and location) in one parameters list", NULL,
     "A parameter is identified by its name and its location (in). One parameters list, of a path item or of an operation, may hold each pair once; header names compare without case. An operation-level parameter with the name and location of a path-level one overrides it, which is not a repeat. Remove or rename one of the two."},
    {"body-parameter-multiple", "swagger", SG_SEVERITY_ERROR, "an operation has more than one body parameter", NULL,
     "A request has one body, so an operation may have at most one in: body parameter, counting the path item's parameters it inherits. Describe the whole payload in one body parameter's schema."},
    {"body-and-formdata", "swagger", SG_SEVERITY_ERROR, "an operation has both body and formData parameters", NULL,
     "formData parameters describe a form-encoded body and an in: body parameter describes the payload as a whole: the two cannot both be the body of one request. Use formData parameters (with consumes multipart/form-data or application/x-www-form-urlencoded) or one body parameter."},
    {"file-parameter-location", "swagger", SG_SEVERITY_ERROR, "a parameter of type file is not in: formData", NULL,
     "Files are uploaded as fields of a multipart form, so type: file is allowed only for in: formData parameters. Move the parameter to formData, or describe a raw upload as an in: body parameter with a schema of type string, format binary."},
    {"file-parameter-consumes", "swagger", SG_SEVERITY_ERROR, "a file parameter's operation does not consume multipart/form-data or application/x-www-form-urlencoded", NULL,
     "An operation with a type: file parameter must consume multipart/form-data or application/x-www-form-urlencoded: its own consumes when it has one (even an empty list), the document's otherwise. Add multipart/form-data to the consumes that applies."},
    {"array-items-missing", "swagger", SG_SEVERITY_ERROR, "a parameter, items or header of type array has no items", NULL,
     "Parameters other than body, items objects and headers of type array must say what their elements are with items (Swagger 2.0 marks it required). Add for example items: {type: string}."},
    {"collection-format-multi", "swagger", SG_SEVERITY_ERROR, "collectionFormat: multi outside a query or formData parameter", NULL,
     "collectionFormat: multi sends one name=value pair per element (?id=1&id=2), which exists only for query and formData parameters. For path and header parameters, items and headers use csv, ssv, tsv or pipes."},
    {"default-invalid", "swagger", SG_SEVERITY_ERROR, "a default value does not fit the schema it belongs to", NULL,
     "A default is the value the server uses when the client sends none, so it must be a valid value: of the declared type (\"10\" is a string, not an integer) and within enum, pattern, format, minimum/maximum, minLength/maxLength and minItems/maxItems, each array element against items. This covers non-body parameters, items, headers and the default of schema objects; a null default is accepted with x-nullable: true. Fix the default or the schema."},
    {"example-invalid", "swagger", SG_SEVERITY_WARNING, "a schema's example does not fit the schema", NULL,
     "An example that the schema itself rejects misleads readers and breaks mock servers and generated tests. The same checks as default-invalid apply to the example of a schema object. A warning, since examples do not change what the API accepts."},
    {"security-undefined", "swagger", SG_SEVERITY_ERROR, "a security requirement names no security definition", NULL,
     "Each name in a security requirement (root security or an operation's) must be a key of securityDefinitions; APIG reads the authentication type through it. Define the scheme or fix the name."},
    {"security-scope-undefined", "swagger", SG_SEVERITY_ERROR, "a security requirement asks for an OAuth2 scope its scheme does not declare", NULL,
     "For an oauth2 security scheme the requirement lists the scopes the operation needs; each must be declared in the scheme's scopes. Declare the scope or fix its name."},
    {"security-scopes-ignored", "swagger", SG_SEVERITY_WARNING, "a security requirement lists scopes for a scheme that is not OAuth2", NULL,
     "Only oauth2 schemes have scopes; for basic and apiKey schemes Swagger 2.0 requires the list to be empty, and what is listed is ignored. Write name: []."},
    {"required-property-undefined", "swagger", SG_SEVERITY_ERROR, "a required property is not in properties while additionalProperties is false", NULL,
     "With additionalProperties: false a schema allows only the properties it lists, so a required name missing from properties can never be present: no value is valid. Add the property to properties or drop it from required. Properties from allOf do not count, since additionalProperties only sees the schema's own properties."},
    {"response-code-invalid", "swagger", SG_SEVERITY_ERROR, "a response code is neither default nor a status code from 100 to 599", NULL,
     "The keys of an operation's responses are HTTP status codes (three digits, 100 to 599) or default; extensions start with x-. Ranges such as 2XX are OpenAPI 3 only. Use a status code."},
    {"unused-definition", "swagger", SG_SEVERITY_WARNING, "a definition is never referenced", NULL,
     "No $ref in the document points into this entry of definitions (a $ref from inside another definition, or from the entry itself, counts; refs from other files are not looked at). A definition that extends (allOf) one with a discriminator counts as used, as a subtype. Remove it or reference it."},
    {"unused-parameter", "swagger", SG_SEVERITY_WARNING, "a parameter of #/parameters is never referenced", NULL,
     "No $ref in the document points to this entry of the document's parameters, so no operation takes it. Remove it or reference it from an operation or path item."},
    {"unused-response", "swagger", SG_SEVERITY_WARNING, "a response of #/responses is never referenced", NULL,
     "No $ref in the document points to this entry of the document's responses. Remove it or reference it from an operation's responses."},
    /* resolve: $ref (resolve.c) */
    {"ref-malformed", "resolve", SG_SEVERITY_ERROR, "a $ref is not a well-formed reference", NULL,
     "A $ref is a string: a JSON Pointer after '#' for this file ('#/definitions/Pet', with ~1 for '/' and ~0 for '~' inside names, and percent-escapes such as %20), optionally after a relative file path ('common/Error.yaml#/Error'). Refused: a non-string or empty $ref, '#' alone (the whole document is no schema, parameter or response), a fragment that does not start with '/', bad ~ or % escapes, a query, a NUL byte, and array indexes with leading zeros ('01'). A \"$ref\" key is a reference only where Swagger 2.0 structure is: not as a name under properties, definitions, parameters, responses, headers, securityDefinitions, scopes, security requirements or paths, and not inside example, examples, default, enum or x-* values."},
    {"ref-unresolved", "resolve", SG_SEVERITY_ERROR, "a $ref names nothing: no such member, index or file", NULL,
     "The JSON Pointer of the $ref must name an existing value, member by member (names are case-sensitive; a pointer does not pass through another $ref), and a file $ref must name a readable JSON or YAML file. Positions in another file are reported in that file, with the $ref that led there as the related location. Fix the name or the path; the message suggests a member that differs only in case."},
    {"ref-cycle", "resolve", SG_SEVERITY_ERROR, "$refs that only point at each other and never reach a definition", NULL,
     "A $ref that points at a $ref that points back (A -> B -> A, or a $ref to itself), in one file or across files, stands for nothing. The message lists the loop. A recursive schema, whose $ref sits inside the structure it names (Node.properties.children.items: {$ref: '#/definitions/Node'}), is valid and not reported. Replace one $ref of the loop with the definition itself."},
    {"ref-sandbox", "resolve", SG_SEVERITY_ERROR, "a file $ref leaves the allowed folder or names something other than a regular file", NULL,
     "File $refs are resolved relative to the file that holds them and, after symbolic links and '..' are resolved (realpath), must stay inside the root folder: the root document's folder, or the folder given with --ref-root DIR. Such a file is never opened, so its content never appears in a message. Refused as well: devices, FIFOs, sockets and directories, absolute paths and file: URIs outside the folder, Windows paths and backslashes, NUL bytes (%00), and any file $ref of a document read from standard input unless --ref-root is given."},
    {"ref-remote", "resolve", SG_SEVERITY_ERROR, "a $ref names a URL: network references are disabled", NULL,
     "swaggate never uses the network: an http, https or other URI scheme, or a '//host' reference, is refused (fetching it would let a document make requests on the checker's behalf). APIG does not fetch them either. Save the file inside the document's folder and refer to it by a relative path, or copy the definition into #/definitions."},
    {"ref-siblings", "resolve", SG_SEVERITY_WARNING, "a member next to $ref is ignored", NULL,
     "In Swagger 2.0 a Reference Object is replaced by its target, and other members beside $ref (description, example, x-* ...) are ignored, although many authors expect them to merge. Move the member into the target, or for a schema wrap the reference: allOf: [{$ref: '#/definitions/X'}, {description: ...}]."},
    {"ref-limit", "resolve", SG_SEVERITY_ERROR, "a $ref goes past a limit: chain length, files, bytes", NULL,
     "Bounds on $ref resolution, each raised with --limit: ref-hops (a chain of $refs to $refs, default 64; reported once, at the $ref where the chain goes past the limit), ref-documents (files one document may load, default 256), ref-total-size (bytes of the document and its files together, default 128 MiB) and file-size (bytes of one file)."},
    /* schema: JSON Schema draft-04 validation (schema.c, schema_store.c) */
    {"schema", "schema", SG_SEVERITY_ERROR, "a value does not match the JSON Schema (for lint: the Swagger 2.0 schema)", NULL,
     "The value at the position given is not what the schema allows: the message says what was expected and what was found. For a value that may take several forms (oneOf/anyOf), the finding comes from the form that came closest, chosen by the field that tells the forms apart (in of a parameter, type of a security scheme). A pattern too costly to match within the regex limits is reported too, since the value could not be checked."},
    {"schema-invalid", "schema", SG_SEVERITY_ERROR, "the JSON Schema itself is faulty: a bad keyword value, pattern or $ref", NULL,
     "A problem of the schema, positioned in the schema file: a keyword value the draft-04 meta-schema does not allow (type: int, multipleOf: 0), an invalid regular expression (with PCRE2's offset), a $ref that resolves nowhere (remote ones are never fetched: register the schema or map its URI prefix to a folder), a $ref cycle or chain past the ref-hops limit, or a schema that applies itself to the same value without end. The faulty part is ignored and validation goes on; patterns that are valid but not ECMA-262 get a warning."},
};

#define N_RULES (sizeof rules / sizeof rules[0])

const sg_rule *sg_rule_at(size_t i) { return i < N_RULES ? &rules[i] : NULL; }

const sg_rule *sg_rule_find(const char *id)
{
    if (!id)
        return NULL;
    for (size_t i = 0; i < N_RULES; i++)
        if (strcmp(rules[i].id, id) == 0)
            return &rules[i];
    return NULL;
}

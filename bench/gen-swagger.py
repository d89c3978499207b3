#!/usr/bin/env python3
"""Write a synthetic Swagger 2.0 document (JSON) of N path items to stdout,
for bench/swagger-scale.sh. Each path item has a path-level parameter
($ref), four operations with unique operationIds, query/header/body
parameters (inline and $ref), a formData file upload, defaults with enum,
pattern and bounds, security requirements with OAuth2 scopes, responses
($ref and inline with headers); definitions refer to each other and use
allOf, additionalProperties: false with required. Every swagger rule has
work to do and the document is clean, so timings measure checking, not
reporting. Usage: gen-swagger.py N > spec.json"""
import json
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
doc = {
    "swagger": "2.0",
    "info": {"title": "bench", "version": "1.0"},
    "consumes": ["application/json"],
    "securityDefinitions": {
        "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
        "oauth": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://example.com/auth",
                  "scopes": {"read": "read", "write": "write"}},
    },
    "security": [{"key": []}],
    "parameters": {
        "limit": {"name": "limit", "in": "query", "type": "integer", "minimum": 1, "maximum": 500,
                  "default": 50},
        "trace": {"name": "X-Trace", "in": "header", "type": "string", "pattern": "^[a-f0-9]{8}$",
                  "default": "0badcafe"},
    },
    "responses": {"NotFound": {"description": "not found",
                               "schema": {"$ref": "#/definitions/Error"}}},
    "definitions": {"Error": {"type": "object", "additionalProperties": False,
                              "required": ["code", "message"],
                              "properties": {"code": {"type": "integer", "default": 500},
                                             "message": {"type": "string"}}}},
    "paths": {},
}
for i in range(n):
    name = "Res%d" % i
    doc["parameters"]["id%d" % i] = {"name": "id", "in": "path", "required": True, "type": "string"}
    doc["definitions"][name] = {
        "type": "object", "additionalProperties": False, "required": ["id", "kind"],
        "properties": {
            "id": {"type": "string", "example": "r%d" % i},
            "kind": {"type": "string", "enum": ["a", "b", "c"], "default": "a"},
            "size": {"type": "integer", "minimum": 0, "maximum": 1000, "default": 10},
            "tags": {"type": "array", "items": {"type": "string", "maxLength": 20}, "default": ["x"]},
            "next": {"$ref": "#/definitions/Res%d" % ((i + 1) % n)},
        },
    }
    doc["definitions"][name + "Page"] = {
        "allOf": [{"$ref": "#/definitions/" + name},
                  {"type": "object", "properties": {"total": {"type": "integer"}}}]}
    ok = {"description": "ok", "schema": {"$ref": "#/definitions/%sPage" % name},
          "headers": {"X-Rate": {"type": "array", "items": {"type": "integer"},
                                 "collectionFormat": "csv", "default": [1, 2]}}}
    base = "/res%d/{id}" % i
    doc["paths"][base] = {
        "parameters": [{"$ref": "#/parameters/id%d" % i}],
        "get": {"operationId": "get%d" % i,
                "parameters": [{"$ref": "#/parameters/limit"}, {"$ref": "#/parameters/trace"},
                               {"name": "sort", "in": "query", "type": "string",
                                "enum": ["asc", "desc"], "default": "asc"},
                               {"name": "f", "in": "query", "type": "array",
                                "items": {"type": "string"}, "collectionFormat": "multi"}],
                "responses": {"200": ok, "404": {"$ref": "#/responses/NotFound"}}},
        "put": {"operationId": "put%d" % i,
                "security": [{"oauth": ["read", "write"]}],
                "parameters": [{"name": "body", "in": "body",
                                "schema": {"$ref": "#/definitions/" + name}}],
                "responses": {"200": ok, "default": {"description": "error"}}},
        "post": {"operationId": "post%d" % i, "consumes": ["multipart/form-data"],
                 "parameters": [{"name": "file", "in": "formData", "type": "file"},
                                {"name": "note", "in": "formData", "type": "string",
                                 "minLength": 1, "default": "n"}],
                 "responses": {"201": {"description": "created"}}},
        "delete": {"operationId": "delete%d" % i, "responses": {"204": {"description": "gone"}}},
    }
    doc["paths"][base + "/items/{item}"] = {
        "get": {"operationId": "items%d" % i,
                "parameters": [{"$ref": "#/parameters/id%d" % i},
                               {"name": "item", "in": "path", "required": True, "type": "integer",
                                "format": "int32", "minimum": 1}],
                "responses": {"200": {"description": "ok"}}}}
json.dump(doc, sys.stdout, indent=1)
sys.stdout.write("\n")

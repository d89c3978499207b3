#!/usr/bin/env python3
"""Write a synthetic APIG-flavoured Swagger 2.0 document (JSON) of N
operations to stdout, for timing the apig checker. Each operation has path,
query and header parameters with samples and pass-through, an HTTP backend
mapping them (REQUEST and CONSTANT, a renamed path variable), a backend
policy with conditions (one a pattern), ratelimit and ACL bindings, tags
and a content type; the root holds the policies, security definitions with
AppSigv1 and IAM, and gateway responses. The document is clean under the apig profile (apart
from the 300-API quota past 300 operations), so timings measure checking.
Usage: gen-apig.py N > spec.json   (lint with --limit apig-apis=N to skip
the quota finding; bench/apig-scale.sh times 300 and 5000)"""
import json
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
doc = {
    "swagger": "2.0",
    "info": {"title": "bench_group", "version": "1.0"},
    "basePath": "/v1",
    "securityDefinitions": {
        "app": {"type": "apiKey", "name": "Authorization", "in": "header",
                "x-apigateway-auth-type": "AppSigv1",
                "x-apigateway-auth-opt": {"appcode-auth-type": "header"}},
        "iam": {"type": "apiKey", "name": "unused", "in": "header", "x-apigateway-auth-type": "IAM"},
    },
    "x-apigateway-ratelimits": {
        "limit_%d" % k: {"api-limit": 1000, "user-limit": 500, "app-limit": 100, "ip-limit": 50,
                         "interval": 1, "unit": "MINUTE",
                         "special": [{"type": "APP", "limit": 10, "instance": "app%d" % k}]}
        for k in range(10)},
    "x-apigateway-access-controls": {
        "acl_%d" % k: {"acl-type": "PERMIT", "entity-type": "IP",
                       "value": "10.%d.0.0/16,192.168.%d.1-192.168.%d.9,2001:db8::/32" % (k, k, k)}
        for k in range(10)},
    "x-apigateway-responses": {"default": {"THROTTLED": {"status": 429,
                                                         "body": {"application/json": "{}"}}}},
    "paths": {},
}
for i in range(n):
    path = "/res%d/items/{itemId}" % i
    doc["paths"][path] = {"get": {
        "operationId": "get_item_%d" % i,
        "description": "Read one item of resource %d" % i,
        "tags": ["res_%d" % (i % 50), "items"],
        "schemes": ["https"],
        "security": [{"app" if i % 2 else "iam": []}],
        "parameters": [
            {"name": "itemId", "in": "path", "type": "string", "required": True, "maxLength": 32},
            {"name": "X-Tenant", "in": "header", "type": "string", "required": True},
            {"name": "verbose", "in": "query", "type": "integer", "minimum": 0, "maximum": 1,
             "x-apigateway-pass-through": "always", "x-apigateway-sample": "1"},
            {"name": "region", "in": "query", "type": "string", "enum": ["eu", "us"]},
        ],
        "responses": {"default": {"description": "ok",
                                  "x-apigateway-result-normal-sample": "{\"id\": 1}"}},
        "x-apigateway-request-type": "public",
        "x-apigateway-match-mode": "NORMAL",
        "x-apigateway-cors": i % 3 == 0,
        "x-apigateway-content-type": "application/json",
        "x-apigateway-ratelimit": "limit_%d" % (i % 10),
        "x-apigateway-access-control": "acl_%d" % (i % 10),
        "x-apigateway-backend": {
            "type": "HTTP",
            "parameters": [
                {"name": "id", "value": "itemId", "in": "path", "origin": "REQUEST"},
                {"name": "tenant", "value": "X-Tenant", "in": "query", "origin": "REQUEST"},
                {"name": "X-Source", "value": "apig", "in": "header", "origin": "CONSTANT"},
            ],
            "httpEndpoints": {"address": "#backend_host#:8443", "scheme": "https",
                              "method": "GET", "path": "/internal/res%d/{id}" % i,
                              "timeout": 5000},
        },
        "x-apigateway-backend-policies": [{
            "type": "HTTP-VPC", "name": "eu_policy_%d" % i,
            "conditions": [{"type": "equal", "value": "eu", "origin": "request",
                            "parameter": "region"},
                           {"type": "pattern", "value": "^10\\.", "origin": "source"}],
            "parameters": [{"name": "id", "value": "itemId", "in": "path", "origin": "REQUEST"}],
            "httpVpcEndpoints": {"name": "vpc_eu", "scheme": "http", "method": "GET",
                                 "path": "/eu/{id}", "timeout": 3000},
        }],
    }}
json.dump(doc, sys.stdout, indent=1)
sys.stdout.write("\n")

#!/usr/bin/env python3
"""Write the hostile inputs of HOSTILE.md section 3 (reading and linting)
into DIR, with DIR/MANIFEST, the cases tests/hostile.test runs, one a line:

  NAME <TAB> FILE <TAB> EXIT <TAB> WHERE <TAB> RULE <TAB> SECONDS <TAB> MIB <TAB> ARGS

EXIT is the exit status lint must give; WHERE is "L:C" (the first finding
of RULE is at line L, column C), "none" (the finding has no position: I/O
and size refusals) or "any" (a finding of RULE, anywhere), "-" when RULE is
"-" (no finding asserted); SECONDS and MIB bound the wall time and the
virtual memory (ulimit -v); ARGS are extra lint arguments ("-": none).
Everything is generated here, at test time: nothing large is kept in git.
The item numbers are HOSTILE.md's."""
import os
import sys

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
cases = []

HEAD = 'swagger: "2.0"\ninfo: {title: Hostile, version: "1"}\n'
HEAD_JSON = '{"swagger": "2.0", "info": {"title": "Hostile", "version": "1"}, '


def case(name, data, exit_, where, rule, secs=10, mib=512, args='-', ext='.yaml', fname=None):
    f = fname or (name + ext)
    with open(os.path.join(out, f), 'wb') as fh:
        fh.write(data.encode('utf-8', 'surrogatepass') if isinstance(data, str) else data)
    # the manifest names the file with printf %b octal escapes (h07's name
    # holds a newline and an escape)
    mf = ''.join(c if 32 < ord(c) < 127 and c != '\\' else '\\0%03o' % ord(c) for c in f)
    cases.append((name, mf, str(exit_), where, rule, str(secs), str(mib), args))


def paths(body):
    return HEAD + 'paths:\n' + body


# -- files and I/O (1-7)
case('h01-empty', b'', 2, '1:1', 'empty-document')
case('h02-whitespace-comments', b'\n   \n# only a comment\n\n', 2, '1:1', 'empty-document')
case('h02-json-whitespace', b' \n\r\n ', 2, '1:1', 'empty-document', ext='.json')
# 3: a file over the size limit, refused before it is read (sparse: no disk)
with open(os.path.join(out, 'h03-over-limit.yaml'), 'wb') as fh:
    fh.truncate(40 * 1024 * 1024)
cases.append(('h03-over-limit', 'h03-over-limit.yaml', '2', 'none', 'limit', '10', '128', '-'))
case('h03-limit-flag', HEAD + 'paths: {}\n' + '#' * 5000 + '\n', 2, 'none', 'limit',
     args='--limit file-size=1000')
# 4, 5, 6: not a regular file, missing, a symlink loop (the main input is
# read up to the size limit, never blocks)
cases.append(('h04-dev-zero', '/dev/zero', '2', 'none', 'limit', '10', '128', '-'))
os.mkfifo(os.path.join(out, 'h04-fifo.yaml'))
cases.append(('h04-fifo-no-writer', 'h04-fifo.yaml', '2', 'any', 'empty-document', '10', '128', '-'))
cases.append(('h05-missing', 'h05-missing.yaml', '2', 'none', 'io', '10', '128', '-'))
os.symlink('h06-loop.yaml', os.path.join(out, 'h06-loop.yaml'))
cases.append(('h06-symlink-loop', 'h06-loop.yaml', '2', 'none', 'io', '10', '128', '-'))
# 7: a file name with a newline, an escape and a leading '-'
case('h07-odd-name', b'x: [', 2, 'any', 'yaml-syntax', fname='-odd\nname\x1b[31m.yaml')

# -- encoding (9-19)
case('h09-bom-ok', '\ufeff' + paths('  {}\n'), 0, '-', '-')
case('h10-bom-middle', paths('  {}\n') + 'x: "\ufeff"\n\ufeffy: 1\n', 2, '5:5', 'encoding')
case('h11-utf16le-bom', '\ufeffswagger: "2.0"\n'.encode('utf-16-le'), 2, '1:1', 'encoding')
case('h11-utf16be-nobom', 'swagger: "2.0"\n'.encode('utf-16-be'), 2, '1:1', 'encoding')
case('h11-utf32le-bom', '\ufeff{"swagger": "2.0"}'.encode('utf-32-le'), 2, '1:1', 'encoding',
     ext='.json')
case('h12-lone-continuation', HEAD.encode() + b'x: "\x80"\n', 2, '3:5', 'encoding')
case('h12-overlong', HEAD.encode() + b'x: "\xc0\xaf"\n', 2, '3:5', 'encoding')
case('h12-surrogate-utf8', HEAD.encode() + b'x: "\xed\xa0\x80"\n', 2, '3:5', 'encoding')
case('h12-above-10ffff', HEAD.encode() + b'x: "\xf4\x90\x80\x80"\n', 2, '3:5', 'encoding')
case('h12-truncated', HEAD.encode() + b'x: "\xe2\x82"\n', 2, '3:5', 'encoding')
case('h12-json-ff', (HEAD_JSON + '"x": "').encode() + b'\xff"}', 2, '1:72', 'encoding',
     ext='.json')
case('h13-lone-surrogate-escape', HEAD_JSON + '"paths": {}, "x": "\\ud800"}', 2, 'any',
     'json-syntax', ext='.json')
case('h14-nul', HEAD.encode() + b'paths: {}\n\x00garbage\n', 2, '4:1', 'encoding')
case('h14-nul-json', b'[1]\x00garbage', 2, '1:4', 'encoding', ext='.json')
case('h15-nul-escape-in-key', HEAD_JSON + '"paths": {}, "x-a\\u0000b": 1, "x-a": 2}', 1, '1:79',
     'key-nul', ext='.json')
case('h16-raw-tab-in-string', HEAD_JSON + '"paths": {}, "x": "a\tb"}', 2, 'any', 'json-syntax',
     ext='.json')
case('h16-raw-newline-in-string', HEAD_JSON + '"paths": {}, "x": "a\nb"}', 2, 'any',
     'json-syntax', ext='.json')
# 17: the same finding at the same place whatever the line breaks
for tag, nl in (('lf', '\n'), ('crlf', '\r\n'), ('cr', '\r')):
    case('h17-breaks-' + tag, ('swagger: "2.0"' + nl + 'info: {title: Hostile, version: "1"}' + nl +
                               'paths: {}' + nl + 'info: {}' + nl), 1, '4:1', 'duplicate-key')
# 18: terminal escapes in data are escaped in messages (checked by the runner)
case('h18-ansi-in-key', paths('  "x\\e[2J\\u202e\\u200b":\n    get: {responses: {"200": {description: d}}}\n'),
     1, '4:3', 'schema', args='--profile swagger')

# -- JSON syntax (20-29)
for i, (tag, text, where) in enumerate((
        ('comment', '{/* c */}', '1:2'), ('line-comment', '{// c\n}', '1:2'),
        ('single-quote', "{'a': 1}", '1:2'), ('trailing-comma', '{"a": 1,}', '1:8'),
        ('unquoted-key', '{a: 1}', '1:2'), ('nan', '[NaN]', '1:2'), ('infinity', '[-Infinity]', '1:2'),
        ('leading-zero', '[01]', '1:2'), ('minus-leading-zero', '[-01]', '1:2'),
        ('bare-dot', '[2.]', '1:2'), ('dot-first', '[.5]', '1:2'), ('exp-empty', '[1e]', '1:2'),
        ('plus', '[+1]', '1:2'), ('trailing-data', '{} x', '1:4'), ('two-values', '{}{}', '1:3'))):
    case('h2x-json-' + tag, text, 2, where, 'json-syntax', ext='.json')
case('h23-bigint', HEAD_JSON + '"paths": {}, "x-n": [18446744073709551616, ' + '9' * 100 + ']}',
     0, '-', '-', ext='.json')
case('h24-huge-exponent', HEAD_JSON + '"paths": {}, "x-n": [1e400, -1e400, 1e-400]}', 0, '-', '-',
     ext='.json')
case('h27-top-level-number', '42', 1, '1:1', 'document-root', ext='.json')
case('h28-deep-json', '[' * 100000, 2, '1:257', 'limit', ext='.json')
case('h28-deep-json-objects', '{"a":' * 100000, 2, '1:1281', 'limit', ext='.json')
# 29: one huge string (24 MiB, under the 32 MiB limit): read in linear time
case('h29-huge-string', HEAD + 'paths: {}\nx-s: "' + 'a' * (24 << 20) + '"\n', 0, '-', '-',
     secs=30, mib=1536)
case('h29-huge-string-json', HEAD_JSON + '"paths": {}, "x-s": "' + 'b' * (24 << 20) + '"}', 0,
     '-', '-', secs=30, mib=1536, ext='.json')

# -- YAML (30-47)
case('h30-tab-indent', HEAD + 'paths:\n\t/a: {}\n', 2, '4:1', 'yaml-syntax')
case('h31-unquoted-colon', HEAD + 'paths: {}\nx-d: a: b\n', 2, '4:7', 'yaml-syntax')
case('h32-long-implicit-key', HEAD + 'paths: {}\n' + 'k' * 2000 + ': 1\n', 2, 'any', 'yaml-syntax')
case('h33-two-documents', HEAD + 'paths: {}\n---\nx: 1\n', 2, '4:1', 'yaml-multiple-documents')
case('h34-yaml-2', '%YAML 2.0\n---\n' + HEAD, 2, 'any', 'yaml-syntax')
case('h38-int-and-string-key', paths('  /a:\n    get:\n      responses:\n        200: {description: a}\n'
                                     '        "200": {description: b}\n'), 1, '8:9', 'duplicate-key')
case('h39-complex-key', HEAD + 'paths: {}\n? [a, b]\n: 1\n', 2, '4:3', 'yaml-key')
case('h40-duplicate-key', HEAD + 'paths: {}\npaths: {}\n', 1, '4:1', 'duplicate-key')
case('h41-undefined-alias', HEAD + 'paths: *nope\n', 2, '3:8', 'yaml-alias')
laughs = HEAD + 'paths: {}\nx-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
for k in range(1, 10):
    laughs += 'x-%s: &%s [%s]\n' % (chr(97 + k), chr(97 + k), ','.join(['*' + chr(96 + k)] * 9))
case('h43-billion-laughs', laughs, 2, 'any', 'limit', secs=10, mib=512)
case('h44-recursive-alias', HEAD + 'paths: {}\nx-r: &a [*a]\n', 2, '4:10', 'yaml-alias')
case('h44-recursive-alias-map', HEAD + 'paths: {}\nx-r: &a {x: *a}\n', 2, '4:13', 'yaml-alias')
case('h46-python-tag', HEAD + 'paths: {}\nx-t: !!python/object:os.system ls\n', 1, '4:6', 'yaml-tag')
case('h47-deep-flow', 'a: ' + '[' * 40000, 2, '1:259', 'limit')
case('h47-deep-block', ''.join(' ' * i + 'k:\n' for i in range(300)), 2, 'any', 'limit')
case('h47-deep-block-seq', ''.join(' ' * (2 * i) + '- \n' for i in range(300)), 2, 'any', 'limit')

# -- many and long things
case('hx-many-aliases', HEAD + 'paths: {}\nx-a: &a x\nx-l: [' + ', '.join(['*a'] * 200000) + ']\n',
     0, '-', '-', secs=20)
# a 10 MB line: an unterminated quoted scalar; the message quotes a bounded excerpt
case('hx-long-line', HEAD + 'paths: {}\nx-l: "' + 'a' * (10 << 20) + '\n', 2, 'any', 'yaml-syntax',
     secs=20)
case('hx-many-values', HEAD + 'paths: {}\nx-l: [' + '1, ' * 1000000 + '1]\n', 0, '-', '-',
     secs=30, mib=1536)
case('hx-huge-key', HEAD_JSON + '"paths": {}, "' + 'k' * 70000 + '": 1}', 2, '1:79', 'limit',
     ext='.json')
case('hx-huge-number', HEAD + 'paths: {}\nx-n: ' + '7' * 1000000 + '\n', 0, '-', '-')
case('h48-many-keys', HEAD + 'paths: {}\nx-m:\n' + ''.join('  k%d: %d\n' % (i, i) for i in range(500000)),
     0, '-', '-', secs=30, mib=1536)
case('h48-many-keys-json', HEAD_JSON + '"paths": {}, "x-m": {' +
     ', '.join('"k%d": %d' % (i, i) for i in range(500000)) + '}}', 0, '-', '-', secs=30,
     mib=1536, ext='.json')
case('h48-many-paths', paths(''.join('  /p%d:\n    get: {operationId: o%d, responses: {"200": {description: d}}}\n'
                                     % (i, i) for i in range(100000))),
     0, '-', '-', secs=60, mib=2048, args='--profile swagger')
# 49/50: uniqueItems over a 100 000-value enum (the Swagger schema asks for
# unique enum values), a 100 000-name required list, 5 000 allOf branches
case('h49-unique-items', paths('  {}\ndefinitions:\n  A:\n    type: integer\n    enum: [' +
                               ', '.join(str(i) for i in range(100000)) + ', 5]\n'),
     1, 'any', 'schema', secs=20)
case('h50-huge-required', paths('  {}\ndefinitions:\n  A:\n    type: object\n    required: [' +
                                ', '.join('r%d' % i for i in range(100000)) + ']\n'),
     0, '-', '-', secs=20)
case('h50-many-allof', paths('  {}\ndefinitions:\n  A:\n    allOf:\n' +
                             ''.join('      - {type: object, properties: {p%d: {type: string}}}\n' % i
                                     for i in range(5000))), 0, '-', '-', secs=20)

# -- $ref inside the document (51-55: the file escapes are tests/sandbox.test's)
case('h51-self-ref', paths('  {}\ndefinitions:\n  A: {$ref: "#/definitions/A"}\n'), 1, '6:13',
     'ref-cycle')
chain = ''.join('  A%d: {$ref: "#/definitions/A%d"}\n' % (i, i + 1) for i in range(10000))
case('h53-long-chain', paths('  {}\ndefinitions:\n' + chain + '  A10000: {type: string}\n'), 1, 'any',
     'ref-limit', secs=20)
bomb = '  D0: {type: string}\n' + ''.join(
    '  D%d: {type: object, properties: {%s}}\n' % (i, ', '.join('p%d: {$ref: "#/definitions/D%d"}' % (k, i - 1) for k in range(10)))
    for i in range(1, 31))
case('h54-ref-bomb', paths('  {}\ndefinitions:\n' + bomb), 0, '-', '-', secs=20)
case('h55-bad-pointer', paths('  {}\ndefinitions:\n  A: {$ref: "#/definitions/B~2"}\n'), 1, '6:13',
     'ref-malformed')
# 64: a ReDoS pattern against a long example: bounded by the regex limits
# (lint leaves a match too costly to finish unjudged: no finding, no hang)
case('h64-redos', paths('  {}\ndefinitions:\n  A: {type: string, pattern: "^(a+)+$", example: "' +
                        'a' * 5000 + 'b"}\n'), 0, '-', '-', secs=10)

with open(os.path.join(out, 'MANIFEST'), 'w') as fh:
    for c in cases:
        fh.write('\t'.join(c) + '\n')

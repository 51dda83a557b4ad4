#!/usr/bin/env python3
"""Generates the socval codec from its schema.

    python3 proto/generate.py           writes common/sv_proto.h and common/sv_proto.c
                                        (only the ones whose text changes)
    python3 proto/generate.py --check   writes nothing; exits 1 naming each output
                                        that differs from what the schema gives, or
                                        when the schema breaks the released one
    python3 proto/generate.py --compat SCHEMA RELEASED
                                        writes nothing; exits 1 when SCHEMA is not a
                                        compatible successor of RELEASED
    python3 proto/generate.py --released DIR
                                        writes DIR/sv_proto.h and DIR/sv_proto.c, the
                                        codec of the released schema, so that a test
                                        can build a peer of the last release

The released schema is the newest proto/released/socval-N.xml: the schema as
the last release shipped it, which peers still running that release speak.
--check compares the schema with it by the rules in proto/socval.xml.

The schema, proto/socval.xml, says what the messages are; this script says
how they look in C. The C that is the same whatever the schema says (msgpack
helpers, the decode entry point, the self test) is in the templates at the
end of this file; everything generated per struct and message is built by the
emit_* functions. Output depends only on the schema, so it is deterministic.
Python 3 standard library only.
"""

import re
import sys
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path
from string import Template

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = 'proto/socval.xml'
HEADER = 'common/sv_proto.h'
SOURCE = 'common/sv_proto.c'

C_KEYWORDS = set("""auto break case char const continue default do double else enum extern
    float for goto if inline int long register restrict return short signed sizeof static
    struct switch typedef union unsigned void volatile while bool true false""".split())


class SchemaError(Exception):
    pass


# ---------------------------------------------------------------------------
#  Schema

class Field:
    def __init__(self, element, owner):
        self.name = element.get('name', '')
        self.type = element.get('type', '')
        self.of = element.get('of')
        self.optional = element.get('optional', '0') == '1'
        self.since = element.get('since', '1')
        self.values = element.get('values')
        self.prose = prose(element)
        where = f'{owner}.{self.name}'
        if not re.fullmatch(r'[a-z][a-z0-9_]*', self.name) or self.name in C_KEYWORDS:
            raise SchemaError(f'{where}: a field name must be a lower-case C identifier')
        if self.name in ('v', 'id'):
            raise SchemaError(f'{where}: "v" and "id" are reserved for the envelope')
        if self.type not in ('string', 'bytes', 'int', 'uint', 'bool', 'strings', 'list'):
            raise SchemaError(f'{where}: unknown type "{self.type}"')
        if (self.type == 'list') != (self.of is not None):
            raise SchemaError(f'{where}: of="struct" goes with type="list", and only there')
        if not self.prose:
            raise SchemaError(f'{where}: say in prose what the field means')
        if not self.since.isdigit() or int(self.since) < 1:
            raise SchemaError(f'{where}: since="N" is the version that added the field')
        self.since = int(self.since)
        #  A decoder of an older version never sends it, so a newer decoder
        #  must do without it
        if self.since > 1 and not self.optional:
            raise SchemaError(f'{where}: a field added in version {self.since} must be '
                              'optional="1"')


class Record:
    """A <struct> (list element) or a <message>: a named map of fields."""

    def __init__(self, element):
        self.is_message = element.tag == 'message'
        self.name = element.get('name', '')
        pattern = r'[A-Z][A-Z0-9_]*' if self.is_message else r'[a-z][a-z0-9_]*'
        if not re.fullmatch(pattern, self.name):
            raise SchemaError(f'{element.tag} "{self.name}": name must match {pattern}')
        self.cname = self.name.lower()
        self.prose = prose(element)
        self.fields = [Field(child, self.name) for child in element]
        if any(child.tag != 'field' for child in element):
            raise SchemaError(f'{self.name}: only <field> may appear inside')
        names = [field.name for field in self.fields]
        if len(set(names)) != len(names):
            raise SchemaError(f'{self.name}: a field name appears twice')
        if not self.prose:
            raise SchemaError(f'{self.name}: say in prose what it is for')


def prose(element):
    """The element's own text as paragraphs, whitespace normalised."""
    text = textwrap.dedent(element.text or '').strip()
    return [' '.join(paragraph.split()) for paragraph in re.split(r'\n\s*\n', text) if paragraph]


class Schema:
    def __init__(self, version, oldest, prose, structs, messages):
        self.version, self.oldest, self.prose = version, oldest, prose
        self.structs, self.messages = structs, messages


def load(path):
    """The schema at path as a Schema, or SchemaError."""
    root = ET.parse(path).getroot()
    if root.tag != 'protocol' or not root.get('version', '').isdigit():
        raise SchemaError('the root must be <protocol name="..." version="N">')
    version = int(root.get('version'))
    oldest = root.get('oldest', root.get('version'))
    if not oldest.isdigit() or not 1 <= int(oldest) <= version:
        raise SchemaError(f'oldest="{oldest}" must be a version from 1 to {version}')
    structs, messages = {}, []
    for element in root:
        if element.tag not in ('struct', 'message'):
            raise SchemaError(f'unexpected <{element.tag}>')
        record = Record(element)
        for field in record.fields:
            if field.since > version:
                raise SchemaError(f'{record.name}.{field.name}: since="{field.since}" is after '
                                  f'the protocol\'s version {version}')
            if field.type == 'list':
                element_type = structs.get(field.of)
                if element_type is None:
                    raise SchemaError(f'{record.name}.{field.name}: no struct "{field.of}" '
                                      'defined above it')
                if any(inner.type in ('list', 'strings') for inner in element_type.fields):
                    raise SchemaError(f'{field.of}: a list element holds scalars only')
        if record.is_message:
            messages.append(record)
        else:
            structs[record.name] = record
    cnames = [record.cname for record in list(structs.values()) + messages]
    if len(set(cnames)) != len(cnames):
        raise SchemaError('two structs or messages share a C name')
    return Schema(version, int(oldest), prose(root), list(structs.values()), messages)


def released_path():
    """The newest proto/released/socval-N.xml, or None when there is none."""
    found = [(int(match.group(1)), path) for path in (ROOT / 'proto/released').glob('socval-*.xml')
             if (match := re.fullmatch(r'socval-(\d+)\.xml', path.name))]
    return max(found)[1] if found else None


def incompatibilities(schema, released):
    """What in schema breaks a peer that speaks released: a list of sentences,
    empty when schema is a compatible successor (the rules in socval.xml)."""
    problems = []
    if schema.version < released.version:
        problems.append(f'version {schema.version} is older than the released {released.version}')
    if schema.oldest > released.version:
        problems.append(f'oldest="{schema.oldest}": decoders would refuse the released '
                        f'version {released.version}')
    current = {record.name: record for record in schema.structs + schema.messages}
    for old in released.structs + released.messages:
        kind = 'message' if old.is_message else 'struct'
        record = current.get(old.name)
        if record is None or record.is_message != old.is_message:
            problems.append(f'{kind} {old.name} was removed')
            continue
        fields = {field.name: field for field in record.fields}
        for old_field in old.fields:
            field = fields.pop(old_field.name, None)
            where = f'{old.name}.{old_field.name}'
            if field is None:
                problems.append(f'{where} was removed')
            elif (field.type, field.of) != (old_field.type, old_field.of):
                problems.append(f'{where} changed type from {old_field.type} to {field.type}')
            elif field.optional != old_field.optional:
                #  Required to optional: a newer encoder leaves it out and the
                #  released decoder refuses the message; the reverse: the
                #  released encoder leaves it out and the newer one refuses
                problems.append(f'{where} became {"optional" if field.optional else "required"}')
        for field in fields.values():
            where = f'{old.name}.{field.name}'
            if not field.optional:
                problems.append(f'{where} is new and required (a new field must be optional)')
            elif field.since <= released.version:
                problems.append(f'{where} is new: say since="N" with N after the released '
                                f'version {released.version}')
    return problems


# ---------------------------------------------------------------------------
#  C fragments per field type: {name} is the field, {of} a list's element struct

MEMBERS = {
    'string':  ['char *{name};'],
    'bytes':   ['uint8_t *{name};', 'size_t {name}_size;'],
    'int':     ['int64_t {name};'],
    'uint':    ['uint64_t {name};'],
    'bool':    ['bool {name};'],
    'strings': ['char **{name};', 'size_t {name}_count;'],
    'list':    ['sv_proto_{of}_t *{name};', 'size_t {name}_count;'],
}
ENCODE = {
    'string':  's_put_string (pk, "{name}", self->{name})',
    'bytes':   's_put_bytes (pk, "{name}", self->{name}, self->{name}_size)',
    'int':     's_put_int (pk, "{name}", self->{name})',
    'uint':    's_put_uint (pk, "{name}", self->{name})',
    'bool':    's_put_bool (pk, "{name}", self->{name})',
    'strings': 's_put_strings (pk, "{name}", self->{name}, self->{name}_count)',
    'list':    's_encode_{of}_list (pk, "{name}", self->{name}, self->{name}_count)',
}
#  Whether an optional field holds more than its default, and so is written:
#  an optional field at its default is left out, as a decoder reads an
#  absent one as the default
PRESENT = {
    'string':  'self->{name} && *self->{name}',
    'bytes':   'self->{name}_size > 0',
    'int':     'self->{name} != 0',
    'uint':    'self->{name} != 0',
    'bool':    'self->{name}',
    'strings': 'self->{name}_count > 0',
    'list':    'self->{name}_count > 0',
}
DECODE = {
    'string':  's_get_string (dec, &self->{name})',
    'bytes':   's_get_bytes (dec, &self->{name}, &self->{name}_size)',
    'int':     's_get_int (dec, &self->{name})',
    'uint':    's_get_uint (dec, &self->{name})',
    'bool':    's_get_bool (dec, &self->{name})',
    'strings': 's_get_strings (dec, &self->{name}, &self->{name}_count)',
    'list':    's_decode_{of}_list (dec, &self->{name}, &self->{name}_count)',
}
FREE = {
    'string':  'if (owned)\n        free (self->{name});',
    'bytes':   'if (owned)\n        free (self->{name});',
    'strings': 's_free_strings (self->{name}, self->{name}_count, owned);',
    'list':    's_free_{of}_list (self->{name}, self->{name}_count, owned);',
}
PRINT = {
    'string':  's_print_string (out, indent, "{name}", self->{name});',
    'bytes':   's_print_bytes (out, indent, "{name}", self->{name}, self->{name}_size);',
    'int':     's_print_int (out, indent, "{name}", self->{name});',
    'uint':    's_print_uint (out, indent, "{name}", self->{name});',
    'bool':    's_print_bool (out, indent, "{name}", self->{name});',
    'strings': 's_print_strings (out, indent, "{name}", self->{name}, self->{name}_count);',
    'list':    's_print_{of}_list (out, indent, "{name}", self->{name}, self->{name}_count);',
}

#  Bytes of the shortest msgpack a decoder accepts for a field's value: an
#  empty str, list or array and any integer take 1 byte, an empty bin 2
SMALLEST = {
    'string': 1, 'bytes': 2, 'int': 1, 'uint': 1, 'bool': 1, 'strings': 1, 'list': 1,
}


def msgpack_header(length, fix_limit, widths):
    """Bytes of a str or map header for length: the type byte alone up to
    fix_limit, then a type byte and the smallest width that holds it."""
    if length <= fix_limit:
        return 1
    return 1 + next(width for width in widths if length < 256 ** width)


def smallest_element(record):
    """Bytes of the shortest valid encoding of a list element of record: a
    map of its required fields only, each key written out and each value at
    its shortest. A list of n elements needs at least n times this many
    bytes, which is what bounds the memory its decoding may take."""
    required = [field for field in record.fields if not field.optional]
    return msgpack_header(len(required), 15, (2, 4)) + sum(
        msgpack_header(len(field.name), 31, (1, 2, 4)) + len(field.name) + SMALLEST[field.type]
        for field in required)


#  Sample values for the self test, chosen to cover every msgpack int width
SAMPLE_UINTS = ['0', '1', '127', '128', '255', '256', '65535', '65536', 'UINT32_MAX',
                '(uint64_t) UINT32_MAX + 1', 'UINT64_MAX']
SAMPLE_INTS = ['0', '-1', '-32', '-33', '127', '-128', '-129', '32767', '-32768', '-32769',
               'INT32_MIN', '(int64_t) INT32_MIN - 1', 'INT64_MAX', 'INT64_MIN']


def fragment(table, field):
    return table[field.type].format(name=field.name, of=field.of)


def comment(paragraphs, indent='', width=79):
    """Paragraphs as //  comment lines, wrapped, with an empty // between."""
    lines = []
    for paragraph in paragraphs:
        if lines:
            lines.append(indent + '//')
        lines += textwrap.wrap(paragraph, width, initial_indent=indent + '//  ',
                               subsequent_indent=indent + '//  ', break_on_hyphens=False)
    return lines


def samples(record, variant, turns):
    """(member, C value) pairs filling every field of record for the self test;
    turns counts the values used so far per type, so that successive fields
    take successive samples."""
    pairs = []
    for field in record.fields:
        turn = turns[field.type] = turns.get(field.type, -1) + 1
        name = field.name
        if field.type == 'string':
            pairs.append((name, f'"{name}-{variant}"'))
        elif field.type == 'bytes':
            text = f'{name}-{variant}'
            pairs.append((name, f'(uint8_t *) "\\x00\\x01\\xfe\\xff" "{text}"'))
            pairs.append((name + '_size', str(4 + len(text))))
        elif field.type == 'uint':
            pairs.append((name, SAMPLE_UINTS[turn % len(SAMPLE_UINTS)]))
        elif field.type == 'int':
            pairs.append((name, SAMPLE_INTS[turn % len(SAMPLE_INTS)]))
        elif field.type == 'bool':
            pairs.append((name, 'true' if turn % 2 == 0 else 'false'))
        elif field.type == 'strings':
            pairs.append((name, 's_test_strings'))
            pairs.append((name + '_count', '3'))
        else:
            pairs.append((name, f's_test_{field.of}'))
            pairs.append((name + '_count', '2'))
    return pairs


# ---------------------------------------------------------------------------
#  Header

def emit_record_type(record):
    title = record.name if record.is_message else f'{record.name} (list element)'
    lines = comment([f'{title}: {record.prose[0]}'] + record.prose[1:])
    lines.append('typedef struct {')
    for field in record.fields:
        notes = field.prose[:]
        if field.values:
            notes[-1] += f' One of: {field.values.replace("|", ", ")}.'
        if field.optional:
            since = f', since version {field.since}' if field.since > 1 else ''
            notes[0] = f'(optional{since}) ' + notes[0]
        lines += comment(notes, '    ')
        lines += ['    ' + member.format(name=field.name, of=field.of)
                  for member in MEMBERS[field.type]]
    if not record.fields:
        lines.append(f'    int unused;                 //  {record.name} has no fields; '
                     'C needs a member')
    lines.append(f'}} sv_proto_{record.cname}_t;')
    return '\n'.join(lines) + '\n'


def emit_header(schema):
    structs, messages = schema.structs, schema.messages
    ids = [f'    SV_PROTO_{message.name}{" = 1" if index == 0 else ""},'
           for index, message in enumerate(messages)]
    members = [f'        sv_proto_{message.cname}_t {message.cname};' for message in messages]
    return Template(HEADER_TEMPLATE).substitute(
        banner=BANNER,
        prose='\n\n'.join(textwrap.fill(paragraph, 75, initial_indent='    ',
                                        subsequent_indent='    ')
                          for paragraph in schema.prose),
        version=schema.version,
        oldest=schema.oldest,
        ids='\n'.join(ids),
        structs='\n'.join(emit_record_type(record) for record in structs),
        messages='\n'.join(emit_record_type(record) for record in messages),
        members='\n'.join(members))


# ---------------------------------------------------------------------------
#  Source

def or_chain(calls):
    """C lines that return -1 from the function when any of the calls fails."""
    lines = ['    if (' + calls[0]] + ['    ||  ' + call for call in calls[1:]]
    lines[-1] += ')'
    return lines + ['        return -1;']


def emit_record_code(record):
    """encode, decode, free and print for one struct or message, and for a
    struct the same four for a list of it."""
    c, t, fields = record.cname, f'sv_proto_{record.cname}_t', record.fields
    out = ['\n'.join(['//  ' + '-' * 75] + comment([f'{record.name}: {record.prose[0]}'])) + '\n']

    optional = [field for field in fields if field.optional]
    required = len(fields) - len(optional)
    entries = [f'    return {required}'] + [f'         + ({fragment(PRESENT, field)})'
                                           for field in optional]
    entries[-1] += ';'
    if not optional:
        entries.insert(0, '    (void) self;')
    out.append(f'//  The entries s_encode_{c} writes: every required field, and each\n'
               f'//  optional one that is not at its default\n'
               f'static size_t\ns_entries_{c} (const {t} *self)\n{{\n'
               + '\n'.join(entries) + '\n}\n')
    if fields:
        encode = or_chain([f'({fragment(PRESENT, field)} && {fragment(ENCODE, field)})'
                           if field.optional else fragment(ENCODE, field)
                           for field in fields]) + ['    return 0;']
    else:
        encode = ['    (void) pk;', '    (void) self;', '    return 0;']
    out.append(f'static int\ns_encode_{c} (msgpack_packer *pk, const {t} *self)\n{{\n'
               + '\n'.join(encode) + '\n}\n')

    if fields:
        width = max(len(field.name) for field in fields) + 3
        quoted = [f'"{field.name}",'.ljust(width) for field in fields]
        decode = [f'    static const s_field_t fields [{len(fields)}] = {{',
                  *[f'        {{ {name} {str(len(field.name)) + ",":<3} '
                    f'{"false" if field.optional else "true"} }},'
                    for name, field in zip(quoted, fields)],
                  '    };',
                  f'    bool seen [{len(fields)}] = {{ false }};',
                  '    int field = -1;',
                  '    for (uint32_t entry = 0; entry < entries; entry++) {',
                  f'        if (s_read_key (dec, fields, {len(fields)}, seen, &field))',
                  '            return -1;',
                  '        int rc;',
                  '        switch (field) {',
                  *[f'            case {index}: rc = {fragment(DECODE, field)}; break;'
                    for index, field in enumerate(fields)],
                  '            default: rc = s_skip (dec); break;     //  not known here',
                  '        }',
                  '        if (rc)',
                  '            return -1;',
                  '    }']
        defaults = [f's_default_string (dec, &self->{field.name})'
                    for field in fields if field.type == 'string' and field.optional]
        if defaults:
            decode += [f'    if (s_check_required (dec, fields, seen, {len(fields)}))',
                       '        return -1;',
                       '    //  An absent optional string reads as ""']
            decode += or_chain(defaults) + ['    return 0;']
        else:
            decode.append(f'    return s_check_required (dec, fields, seen, {len(fields)});')
    else:
        decode = ['    (void) self;',
                  f'    return s_skip_entries (dec, entries);  //  {record.name} has no fields']
    out.append(f'static int\ns_decode_{c} (s_decoder_t *dec, {t} *self, uint32_t entries)\n{{\n'
               + '\n'.join(decode) + '\n}\n')

    frees = ['    ' + fragment(FREE, field) for field in fields if field.type in FREE]
    out.append(f'//  owned: the strings and bytes are each their own allocation, not\n'
               f'//  in a packed decode\'s block\n'
               f'static void\ns_free_{c} ({t} *self, bool owned)\n{{\n'
               + '\n'.join(frees or ['    (void) self;', '    (void) owned;']) + '\n}\n')

    prints = ['    ' + fragment(PRINT, field) for field in fields]
    out.append(f'static void\ns_print_{c} (const {t} *self, FILE *out, const char *indent)\n{{\n'
               + '\n'.join(prints or ['    (void) self;', '    (void) out;', '    (void) indent;'])
               + '\n}\n')
    if not record.is_message:
        out.append(Template(LIST_TEMPLATE).substitute(
            name=c, type=t, smallest=smallest_element(record),
            encode_pad=' ' * len(f's_encode_{c}_list ('),
            print_pad=' ' * len(f's_print_{c}_list (')))
    return '\n'.join(out)


def emit_samples(structs, messages):
    lines, turns = [], {}
    for record in structs:
        lines.append(f'static sv_proto_{record.cname}_t s_test_{record.cname} [2] = {{')
        for variant in (1, 2):
            lines.append('    {')
            lines += [f'        .{member} = {value},'
                      for member, value in samples(record, variant, turns)]
            lines.append('    },')
        lines += ['};', '']
    lines += ['//  Fills a message with sample values; it borrows them, so is not to be reset',
              'static void',
              's_test_fill (sv_proto_t *self, sv_proto_id_t id)',
              '{',
              '    memset (self, 0, sizeof (*self));',
              '    self->id = id;',
              '    switch (id) {']
    for message in messages:
        lines.append(f'        case SV_PROTO_{message.name}:')
        lines += [f'            self->{message.cname}.{member} = {value};'
                  for member, value in samples(message, 0, turns)]
        lines.append('            break;')
    lines += ['    }', '}']
    return '\n'.join(lines) + '\n'


def emit_source(structs, messages):
    used = {field.type for record in structs + messages for field in record.fields}

    def cases(template):
        return '\n'.join(template.format(NAME=message.name, name=message.cname,
                                         fields=len(message.fields))
                         for message in messages)

    return Template(SOURCE_TEMPLATE).substitute(
        banner=BANNER,
        names='\n'.join(f'    "{message.name}",' for message in messages),
        strings_helpers=STRINGS_HELPERS if 'strings' in used else '',
        strings_sample=STRINGS_SAMPLE if 'strings' in used else '',
        records='\n'.join(emit_record_code(record) for record in structs + messages),
        encode_cases=cases('        case SV_PROTO_{NAME}:\n'
                           '            rc = s_encode_header (&pk, self->id,\n'
                           '                                  s_entries_{name} (&self->{name}))\n'
                           '              || s_encode_{name} (&pk, &self->{name});\n'
                           '            break;'),
        decode_cases=cases('        case SV_PROTO_{NAME}:\n'
                           '            rc = s_decode_{name} (&dec, &self->{name}, entries);\n'
                           '            break;'),
        free_cases=cases('        case SV_PROTO_{NAME}:\n'
                         '            s_free_{name} (&self->{name}, owned);\n'
                         '            break;'),
        print_cases=cases('        case SV_PROTO_{NAME}:\n'
                          '            s_print_{name} (&self->{name}, out, "    ");\n'
                          '            break;'),
        samples=emit_samples(structs, messages))


# ---------------------------------------------------------------------------
#  Main

def compat(schema_path, released_path):
    """The --compat mode, and the half of --check that needs no output."""
    try:
        schema, released = load(schema_path), load(released_path)
    except (SchemaError, ET.ParseError) as error:
        print(f'proto/generate.py: {error}', file=sys.stderr)
        return 1
    problems = incompatibilities(schema, released)
    for problem in problems:
        print(f'proto/generate.py: {schema_path}: incompatible with {released_path}: {problem}',
              file=sys.stderr)
    return 1 if problems else 0


def emit_released(directory):
    """The --released mode: the released schema's codec in directory."""
    path = released_path()
    if path is None:
        print('proto/generate.py: no proto/released/socval-N.xml', file=sys.stderr)
        return 1
    try:
        released = load(path)
    except (SchemaError, ET.ParseError) as error:
        print(f'proto/generate.py: {path}: {error}', file=sys.stderr)
        return 1
    directory.mkdir(parents=True, exist_ok=True)
    (directory / 'sv_proto.h').write_text(emit_header(released), encoding='utf-8')
    (directory / 'sv_proto.c').write_text(emit_source(released.structs, released.messages),
                                          encoding='utf-8')
    return 0


def main(argv):
    check = argv[1:] == ['--check']
    if len(argv) == 4 and argv[1] == '--compat':
        return compat(argv[2], argv[3])
    if len(argv) == 3 and argv[1] == '--released':
        return emit_released(Path(argv[2]))
    if argv[1:] and not check:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        schema = load(ROOT / SCHEMA)
    except (SchemaError, ET.ParseError) as error:
        print(f'proto/generate.py: {SCHEMA}: {error}', file=sys.stderr)
        return 1
    released = released_path()
    if check and released and compat(SCHEMA, released.relative_to(ROOT)):
        return 1
    outputs = {
        HEADER: emit_header(schema),
        SOURCE: emit_source(schema.structs, schema.messages),
    }
    stale = []
    for path, text in outputs.items():
        target = ROOT / path
        current = target.read_text(encoding='utf-8') if target.exists() else None
        if current == text:
            continue
        if check:
            why = 'missing' if current is None else f'differs from what {SCHEMA} generates'
            print(f'proto/generate.py: {path} is stale ({why}); '
                  'run `python3 proto/generate.py` and commit the result', file=sys.stderr)
            stale.append(path)
        else:
            target.write_text(text, encoding='utf-8')
            print(f'proto/generate.py: wrote {path}')
    return 1 if stale else 0


# ---------------------------------------------------------------------------
#  Templates: the C that does not depend on the schema. $name is substituted.

BANNER = f"""\
    ** DO NOT EDIT ** Generated from {SCHEMA} by proto/generate.py.
    Change the schema, run `python3 proto/generate.py`, and commit both."""

HEADER_TEMPLATE = r'''/*  =========================================================================
    sv_proto - the socval wire protocol codec

$banner

$prose

    Ownership: a struct filled by sv_proto_decode owns every string, byte
    buffer and list in it (copies; nothing points into the frame), and
    sv_proto_reset releases them. One filled by sv_proto_decode_packed
    keeps its strings in one block of its own and borrows its bytes from
    the frame, for hot paths that read many messages and change none. A struct the caller fills for encoding
    only lends its pointers: encode reads them, and the struct must not be
    passed to sv_proto_reset. A struct must start zeroed (= { 0 }) before
    its first decode.
    =========================================================================
*/

#ifndef SV_PROTO_H_INCLUDED
#define SV_PROTO_H_INCLUDED

#include <czmq.h>
#include <msgpack.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

//  The protocol version of this codec, and the oldest whose messages it
//  still reads: a decoder accepts "v" from SV_PROTO_OLDEST to
//  SV_PROTO_VERSION. An encoder writes SV_PROTO_OLDEST as "v", the oldest
//  version whose decoders read the message: fields added since are
//  optional and ignored by a decoder that does not know them, so peers of
//  every version in the window read each other (the rules are in the
//  schema's prose).
#define SV_PROTO_VERSION $version
#define SV_PROTO_OLDEST $oldest

//  The messages, numbered in schema order. On the wire a message is named
//  by its string ("FETCH"), never by this number.
typedef enum {
$ids
} sv_proto_id_t;

//  Field types: string is char * (after a decode an owned copy, never NULL;
//  "" when an optional field was absent); bytes is a pointer and a _size
//  (NULL when empty); int is int64_t, uint uint64_t; a list is a pointer to
//  its elements and a _count, and so is strings (a list of char *). An
//  absent optional number or bool reads as 0 or false, an absent optional
//  list as empty. Money is in pence, quantities in thousandths.

//  ---------------------------------------------------------------------------
//  List elements

$structs
//  ---------------------------------------------------------------------------
//  Messages

$messages
//  ---------------------------------------------------------------------------
//  A message of any type

typedef struct {
    sv_proto_id_t id;           //  Which message; 0 when none
    char reason [160];          //  Why the last decode failed; "" otherwise
    char *arena;                //  A packed decode's strings; NULL otherwise
    union {
$members
    };
} sv_proto_t;

//  Appends self to buffer as one msgpack map. Only reads self; NULL strings
//  are sent as "", NULL byte buffers and lists as empty. Returns 0, or -1
//  (an id that is not a message, or out of memory) leaving buffer as it was.
int
    sv_proto_encode (const sv_proto_t *self, msgpack_sbuffer *buffer);

//  Encodes self into a new frame, which the caller destroys. Returns NULL
//  where sv_proto_encode would fail.
zframe_t *
    sv_proto_encode_frame (const sv_proto_t *self);

//  Decodes one message from untrusted bytes into self, after resetting it.
//  The bytes are checked with sv_msgpack_check before anything is
//  allocated, so what a refusal costs is bounded by size, whatever the
//  message declares. Keys this version does not know are ignored. Returns
//  0, or -1 with self->reason set (version, unknown message, missing or
//  mistyped field, out-of-range integer, malformed msgpack...), self->id 0,
//  nothing allocated, and a warning logged with zsys_warning. Never asserts
//  on the bytes; data may be freed as soon as this returns.
int
    sv_proto_decode (sv_proto_t *self, const uint8_t *data, size_t size);

//  The same, with every string in one block of self's (one allocation
//  for the whole message, not one a string) and every bytes field pointing
//  into data, which must outlive self's use. The message must be read, not
//  changed: its strings are not each an allocation of their own.
int
    sv_proto_decode_packed (sv_proto_t *self, const uint8_t *data, size_t size);

//  Frees everything a decode allocated in self and zeroes it (id 0, reason
//  ""). Safe on a zeroed struct and twice; not for a struct filled by hand.
void
    sv_proto_reset (sv_proto_t *self);

//  Prints self for a person: one field per line, strings quoted with
//  control characters escaped, bytes as their length and a hex prefix.
void
    sv_proto_print (const sv_proto_t *self, FILE *out);

//  The message's name, as on the wire ("FETCH"), or "?" for anything else.
const char *
    sv_proto_name (sv_proto_id_t id);

//  Self test: a round trip of every message, lists included, and refusals.
void
    sv_proto_test (bool verbose);

#ifdef __cplusplus
}
#endif

#endif
'''

LIST_TEMPLATE = r'''static int
s_encode_${name}_list (msgpack_packer *pk, const char *key,
${encode_pad}const $type *list, size_t count)
{
    if (s_put_list (pk, key, list? count: 0))
        return -1;
    for (size_t index = 0; list && index < count; index++)
        if (msgpack_pack_map (pk, (uint32_t) s_entries_$name (&list [index]))
        ||  s_encode_$name (pk, &list [index]))
            return -1;
    return 0;
}

static int
s_decode_${name}_list (s_decoder_t *dec, $type **list_p, size_t *count_p)
{
    const char *name = dec->field;
    uint32_t count;
    if (s_get_list (dec, $smallest, &count))     //  bytes of the shortest valid $name
        return -1;
    if (count == 0)
        return 0;
    //  s_get_list proved the elements can fit in the bytes left, so this
    //  takes at most sizeof ($type) / $smallest times those bytes
    $type *list = calloc (count, sizeof ($type));
    if (!list)
        return s_fail (dec, "out of memory");
    *list_p = list;
    *count_p = count;           //  so a failure below frees what was decoded
    for (uint32_t index = 0; index < count; index++) {
        uint32_t entries;
        if (s_get_element (dec, name, index, &entries)
        ||  s_decode_$name (dec, &list [index], entries))
            return -1;
    }
    dec->list = NULL;
    return 0;
}

static void
s_free_${name}_list ($type *list, size_t count, bool owned)
{
    for (size_t index = 0; list && index < count; index++)
        s_free_$name (&list [index], owned);
    free (list);
}

static void
s_print_${name}_list (FILE *out, const char *indent, const char *key,
${print_pad}const $type *list, size_t count)
{
    if (!list)
        count = 0;
    fprintf (out, "%s%s: %zu element(s)\n", indent, key, count);
    char deeper [64];
    snprintf (deeper, sizeof (deeper), "%s        ", indent);
    for (size_t index = 0; index < count; index++) {
        fprintf (out, "%s    [%zu]\n", indent, index);
        s_print_$name (&list [index], out, deeper);
    }
}
'''

STRINGS_HELPERS = r'''
//  A list of strings

static int
s_put_strings (msgpack_packer *pk, const char *key, char *const *list, size_t count)
{
    if (s_put_list (pk, key, list? count: 0))
        return -1;
    for (size_t index = 0; list && index < count; index++) {
        const char *value = list [index]? list [index]: "";
        size_t size = strlen (value);
        if (size > UINT32_MAX || msgpack_pack_str (pk, size) || msgpack_pack_str_body (pk, value, size))
            return -1;
    }
    return 0;
}

static int
s_get_strings (s_decoder_t *self, char ***list_p, size_t *count_p)
{
    const char *name = self->field;
    uint32_t count;
    if (s_get_list (self, 1, &count))            //  "" takes 1 byte
        return -1;
    if (count == 0)
        return 0;
    char **list = calloc (count, sizeof (char *));
    if (!list)
        return s_fail (self, "out of memory");
    *list_p = list;
    *count_p = count;
    for (uint32_t index = 0; index < count; index++) {
        self->list = name;
        self->element = index;
        self->field = NULL;
        if (s_get_string (self, &list [index]))
            return -1;
    }
    self->list = NULL;
    return 0;
}

static void
s_free_strings (char **list, size_t count, bool owned)
{
    for (size_t index = 0; owned && list && index < count; index++)
        free (list [index]);
    free (list);
}

static void
s_print_strings (FILE *out, const char *indent, const char *key, char *const *list, size_t count)
{
    if (!list)
        count = 0;
    fprintf (out, "%s%s: %zu string(s)\n", indent, key, count);
    for (size_t index = 0; index < count; index++) {
        fprintf (out, "%s    [%zu] '", indent, index);
        s_print_text (out, list [index]);
        fprintf (out, "'\n");
    }
}
'''

STRINGS_SAMPLE = r'''
static char *s_test_strings [] = { "alpha", "", "\xc2\xa3 sterling" };
'''

SOURCE_TEMPLATE = r'''/*  =========================================================================
    sv_proto - the socval wire protocol codec

$banner

    Each message is one msgpack map: "v" (the protocol version), "id" (the
    message name) and one key per field; list elements are maps of their
    fields. Decoding never trusts the bytes: sv_msgpack_check first proves
    they are one complete object whose declared lengths and counts fit in
    them, then a first pass over the map finds "v" and "id" wherever they
    are, and a second copies each known field out, checking its type.
    =========================================================================
*/

#include "sv_proto.h"
#include "sv_msgpack.h"

#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

//  Message names, indexed by sv_proto_id_t
static const char *s_names [] = {
    "?",
$names
};
#define S_MESSAGES (sizeof (s_names) / sizeof (s_names [0]))


//  ---------------------------------------------------------------------------
//  Encoding helpers: each appends one key and its value, returning 0 or -1

static int
s_put_key (msgpack_packer *pk, const char *key)
{
    size_t size = strlen (key);
    return (msgpack_pack_str (pk, size) || msgpack_pack_str_body (pk, key, size))? -1: 0;
}

static int
s_put_string (msgpack_packer *pk, const char *key, const char *value)
{
    if (!value)
        value = "";
    size_t size = strlen (value);
    if (size > UINT32_MAX
    ||  s_put_key (pk, key)
    ||  msgpack_pack_str (pk, size)
    ||  msgpack_pack_str_body (pk, value, size))
        return -1;
    return 0;
}

static int
s_put_bytes (msgpack_packer *pk, const char *key, const uint8_t *data, size_t size)
{
    if (!data)
        size = 0;
    if (size > UINT32_MAX
    ||  s_put_key (pk, key)
    ||  msgpack_pack_bin (pk, size)
    ||  msgpack_pack_bin_body (pk, data, size))
        return -1;
    return 0;
}

static int
s_put_uint (msgpack_packer *pk, const char *key, uint64_t value)
{
    return (s_put_key (pk, key) || msgpack_pack_uint64 (pk, value))? -1: 0;
}

static int
s_put_int (msgpack_packer *pk, const char *key, int64_t value)
{
    return (s_put_key (pk, key) || msgpack_pack_int64 (pk, value))? -1: 0;
}

static int
s_put_bool (msgpack_packer *pk, const char *key, bool value)
{
    if (s_put_key (pk, key)
    ||  (value? msgpack_pack_true (pk): msgpack_pack_false (pk)))
        return -1;
    return 0;
}

//  The key and header of a list of count elements
static int
s_put_list (msgpack_packer *pk, const char *key, size_t count)
{
    if (count > UINT32_MAX
    ||  s_put_key (pk, key)
    ||  msgpack_pack_array (pk, count))
        return -1;
    return 0;
}

//  The map header of a message of the given number of fields, "v" and "id"
static int
s_encode_header (msgpack_packer *pk, sv_proto_id_t id, size_t fields)
{
    if (msgpack_pack_map (pk, fields + 2)
    ||  s_put_uint (pk, "v", SV_PROTO_OLDEST)
    ||  s_put_string (pk, "id", s_names [id]))
        return -1;
    return 0;
}


//  ---------------------------------------------------------------------------
//  Decoding helpers. Each reads from dec->reader and returns 0, or -1 after
//  writing the reason, which names the message and field, into the message.

typedef struct {
    sv_msgpack_reader_t reader;
    sv_proto_t *message;        //  Being decoded; receives the reason
    const char *name;           //  Message name once known
    const char *field;          //  Field being read, or NULL
    const char *list;           //  List field being read, or NULL
    size_t element;             //  Index of the element in that list
    //  A packed decode: strings are copied here, one after the other, and
    //  bytes point into the frame (NULL: each is an allocation of its own)
    char *arena;
    size_t arena_used;
} s_decoder_t;

typedef struct {
    const char *name;
    size_t size;                //  strlen (name)
    bool required;
} s_field_t;

static int
    s_fail (s_decoder_t *self, const char *format, ...) __attribute__ ((format (printf, 2, 3)));

static int
s_fail (s_decoder_t *self, const char *format, ...)
{
    //  Where first: FETCH.after_seq, EVENTS.events[3].seq, or nothing
    //  before the message is known. Names come from the schema; text from
    //  the message only ever arrives through s_printable.
    char *reason = self->message->reason;
    size_t size = sizeof (self->message->reason);
    const char *name = self->name? self->name: "message";
    int used = 0;
    if (self->list)
        used = snprintf (reason, size, "%s.%s[%zu]%s%s: ", name, self->list, self->element,
                         self->field? ".": "", self->field? self->field: "");
    else
    if (self->field)
        used = snprintf (reason, size, "%s.%s: ", name, self->field);
    else
    if (self->name)
        used = snprintf (reason, size, "%s: ", name);
    if (used < 0 || (size_t) used >= size)
        return -1;              //  as much as fits
    va_list args;
    va_start (args, format);
    vsnprintf (reason + used, size - (size_t) used, format, args);
    va_end (args);
    return -1;
}

//  Copies up to 32 bytes of untrusted text for a reason, replacing
//  anything but printable ASCII with '?'
static void
s_printable (char *dest, size_t dest_size, const uint8_t *data, size_t size)
{
    size_t length = 0;
    while (length < size && length < 32 && length + 1 < dest_size) {
        dest [length] = data [length] >= 0x20 && data [length] < 0x7f? data [length]: '?';
        length++;
    }
    dest [length] = 0;
}

//  Reads one item, which must be of the given type
static int
s_read_type (s_decoder_t *self, sv_msgpack_type_t type, sv_msgpack_item_t *item)
{
    if (sv_msgpack_read (&self->reader, item))
        return s_fail (self, "%s", self->reader.reason);
    if (item->type != type)
        return s_fail (self, "expected %s, got %s",
                       sv_msgpack_type_name (type), sv_msgpack_type_name (item->type));
    return 0;
}

//  Reads a map key, which must be a string, and looks it up among the
//  fields: *index_p is its position, or -1 for a key this version does not
//  know (the caller skips its value). A field may appear only once. On
//  entry *index_p is the field the last key named (-1 for none): the
//  search starts after it, since an encoder writes fields in order.
static int
s_read_key (s_decoder_t *self, const s_field_t *fields, size_t count, bool *seen, int *index_p)
{
    sv_msgpack_item_t item;
    self->field = NULL;
    size_t start = *index_p < 0? 0: (size_t) *index_p + 1;
    *index_p = -1;
    if (sv_msgpack_read (&self->reader, &item))
        return s_fail (self, "%s", self->reader.reason);
    if (item.type != SV_MSGPACK_STR)
        return s_fail (self, "a key is a %s, expected str", sv_msgpack_type_name (item.type));
    for (size_t tried = 0; tried < count; tried++) {
        size_t index = (start + tried) % count;
        const char *name = fields [index].name;
        if (fields [index].size == item.size && memcmp (name, item.data, item.size) == 0) {
            self->field = name;
            if (seen [index])
                return s_fail (self, "appears twice");
            seen [index] = true;
            *index_p = (int) index;
            break;
        }
    }
    return 0;
}

static int
s_skip (s_decoder_t *self)
{
    if (sv_msgpack_skip (&self->reader))
        return s_fail (self, "%s", self->reader.reason);
    return 0;
}

//  Skips the entries of a map whose keys this version does not know
static int
s_skip_entries (s_decoder_t *self, uint32_t entries)
{
    for (uint32_t entry = 0; entry < entries; entry++) {
        int field = -1;
        if (s_read_key (self, NULL, 0, NULL, &field) || s_skip (self))
            return -1;
    }
    return 0;
}

static int
s_check_required (s_decoder_t *self, const s_field_t *fields, const bool *seen, size_t count)
{
    for (size_t index = 0; index < count; index++) {
        if (fields [index].required && !seen [index]) {
            self->field = fields [index].name;
            return s_fail (self, "required field missing");
        }
    }
    self->field = NULL;
    return 0;
}

//  An owned, NUL-terminated copy of a str
static int
s_get_string (s_decoder_t *self, char **value_p)
{
    sv_msgpack_item_t item;
    if (s_read_type (self, SV_MSGPACK_STR, &item))
        return -1;
    if (item.size > 0 && memchr (item.data, 0, item.size))
        return s_fail (self, "string holds a NUL byte");
    //  In a packed decode every str took at least one byte more than its
    //  text in the frame, so the block (the frame's size) always has room
    char *value = self->arena? self->arena + self->arena_used: malloc ((size_t) item.size + 1);
    if (!value)
        return s_fail (self, "out of memory");
    if (self->arena)
        self->arena_used += (size_t) item.size + 1;
    if (item.size > 0)
        memcpy (value, item.data, item.size);
    value [item.size] = 0;
    *value_p = value;
    return 0;
}

static int
s_default_string (s_decoder_t *self, char **value_p)
{
    static char empty [1];
    if (*value_p)
        return 0;
    *value_p = self->arena? empty: calloc (1, 1);
    return *value_p? 0: s_fail (self, "out of memory");
}

//  An owned copy of a bin; NULL when it is empty
static int
s_get_bytes (s_decoder_t *self, uint8_t **data_p, size_t *size_p)
{
    sv_msgpack_item_t item;
    if (s_read_type (self, SV_MSGPACK_BIN, &item))
        return -1;
    if (item.size == 0)
        return 0;
    if (self->arena) {
        *data_p = (uint8_t *) item.data;
        *size_p = item.size;
        return 0;
    }
    uint8_t *data = malloc (item.size);
    if (!data)
        return s_fail (self, "out of memory");
    memcpy (data, item.data, item.size);
    *data_p = data;
    *size_p = item.size;
    return 0;
}

static int
s_get_uint (s_decoder_t *self, uint64_t *value_p)
{
    sv_msgpack_item_t item;
    if (sv_msgpack_read (&self->reader, &item))
        return s_fail (self, "%s", self->reader.reason);
    if (item.type == SV_MSGPACK_INT)
        return s_fail (self, "%" PRId64 " is negative, expected uint", item.sint);
    if (item.type != SV_MSGPACK_UINT)
        return s_fail (self, "expected uint, got %s", sv_msgpack_type_name (item.type));
    *value_p = item.uint;
    return 0;
}

static int
s_get_int (s_decoder_t *self, int64_t *value_p)
{
    sv_msgpack_item_t item;
    if (sv_msgpack_read (&self->reader, &item))
        return s_fail (self, "%s", self->reader.reason);
    if (item.type == SV_MSGPACK_INT)
        *value_p = item.sint;
    else
    if (item.type == SV_MSGPACK_UINT && item.uint <= INT64_MAX)
        *value_p = (int64_t) item.uint;
    else
    if (item.type == SV_MSGPACK_UINT)
        return s_fail (self, "%" PRIu64 " is out of range for int64", item.uint);
    else
        return s_fail (self, "expected int, got %s", sv_msgpack_type_name (item.type));
    return 0;
}

static int
s_get_bool (s_decoder_t *self, bool *value_p)
{
    sv_msgpack_item_t item;
    if (s_read_type (self, SV_MSGPACK_BOOL, &item))
        return -1;
    *value_p = item.boolean;
    return 0;
}

//  The header of a list: an array of count elements, each of which takes
//  at least smallest bytes when valid. A count the bytes left in the
//  message cannot hold is refused here, before anything is allocated for
//  it, so the caller's allocation is bounded by the bytes received (not
//  just by one byte per element, as an empty map would take).
static int
s_get_list (s_decoder_t *self, size_t smallest, uint32_t *count_p)
{
    sv_msgpack_item_t item;
    if (s_read_type (self, SV_MSGPACK_ARRAY, &item))
        return -1;
    size_t remaining = sv_msgpack_reader_remaining (&self->reader);
    if (item.size > remaining / smallest)
        return s_fail (self, "%" PRIu32 " elements cannot fit in the %zu bytes left;"
                       " a valid one takes at least %zu", item.size, remaining, smallest);
    *count_p = item.size;
    return 0;
}

//  The header of one list element, a map of its fields
static int
s_get_element (s_decoder_t *self, const char *list, uint32_t index, uint32_t *entries_p)
{
    sv_msgpack_item_t item;
    self->list = list;
    self->element = index;
    self->field = NULL;
    if (s_read_type (self, SV_MSGPACK_MAP, &item))
        return -1;
    *entries_p = item.size;
    return 0;
}

//  First pass over the top-level map: the protocol version and the message
//  name, wherever they are among its entries
static int
s_decode_header (s_decoder_t *self, uint32_t entries, sv_proto_id_t *id_p)
{
    static const s_field_t fields [2] = { { "v", 1, true }, { "id", 2, true } };
    bool seen [2] = { false, false };
    uint64_t version = 0;
    sv_msgpack_item_t name = { 0 };
    int field = -1;
    for (uint32_t entry = 0; entry < entries; entry++) {
        if (s_read_key (self, fields, 2, seen, &field))
            return -1;
        int rc;
        switch (field) {
            case 0: rc = s_get_uint (self, &version); break;
            case 1: rc = s_read_type (self, SV_MSGPACK_STR, &name); break;
            default: rc = s_skip (self); break;
        }
        if (rc)
            return -1;
    }
    self->field = NULL;
    if (!seen [0])
        return s_fail (self, "no protocol version (key \"v\")");
    if (version < SV_PROTO_OLDEST || version > SV_PROTO_VERSION)
        return s_fail (self, "protocol version %" PRIu64 ", expected %d to %d", version,
                       SV_PROTO_OLDEST, SV_PROTO_VERSION);
    if (!seen [1])
        return s_fail (self, "no message name (key \"id\")");
    for (size_t id = 1; id < S_MESSAGES; id++) {
        if (strlen (s_names [id]) == name.size && memcmp (s_names [id], name.data, name.size) == 0) {
            *id_p = (sv_proto_id_t) id;
            return 0;
        }
    }
    char printable [40];
    s_printable (printable, sizeof (printable), name.data, name.size);
    return s_fail (self, "unknown message \"%s\"", printable);
}


//  ---------------------------------------------------------------------------
//  Printing helpers

//  Prints text with quotes, backslashes and control characters escaped
static void
s_print_text (FILE *out, const char *text)
{
    for (const unsigned char *byte = (const unsigned char *) (text? text: ""); *byte; byte++) {
        if (*byte == '\'' || *byte == '\\')
            fprintf (out, "\\%c", *byte);
        else
        if (*byte < 0x20 || *byte == 0x7f)
            fprintf (out, "\\x%02x", *byte);
        else
            fputc (*byte, out);
    }
}

static void
s_print_string (FILE *out, const char *indent, const char *key, const char *value)
{
    fprintf (out, "%s%s='", indent, key);
    s_print_text (out, value);
    fprintf (out, "'\n");
}

static void
s_print_bytes (FILE *out, const char *indent, const char *key, const uint8_t *data, size_t size)
{
    if (!data)
        size = 0;
    fprintf (out, "%s%s=%zu byte(s)", indent, key, size);
    for (size_t index = 0; index < size && index < 16; index++)
        fprintf (out, "%s%02x", index? "": " ", data [index]);
    fprintf (out, "%s\n", size > 16? "...": "");
}

static void
s_print_uint (FILE *out, const char *indent, const char *key, uint64_t value)
{
    fprintf (out, "%s%s=%" PRIu64 "\n", indent, key, value);
}

static void
s_print_int (FILE *out, const char *indent, const char *key, int64_t value)
{
    fprintf (out, "%s%s=%" PRId64 "\n", indent, key, value);
}

static void
s_print_bool (FILE *out, const char *indent, const char *key, bool value)
{
    fprintf (out, "%s%s=%s\n", indent, key, value? "true": "false");
}
$strings_helpers

//  ---------------------------------------------------------------------------
//  Per struct and message: encode (fields only; the caller writes the map
//  header), decode (the caller has read the map header), free, print

$records

//  ---------------------------------------------------------------------------
//  Public API

int
sv_proto_encode (const sv_proto_t *self, msgpack_sbuffer *buffer)
{
    assert (self);
    assert (buffer);
    msgpack_packer pk;
    msgpack_packer_init (&pk, buffer, msgpack_sbuffer_write);
    size_t start = buffer->size;
    int rc = 1;
    switch (self->id) {
$encode_cases
    }
    if (rc)
        buffer->size = start;   //  as it was: no half message
    return rc? -1: 0;
}

zframe_t *
sv_proto_encode_frame (const sv_proto_t *self)
{
    assert (self);
    msgpack_sbuffer buffer;
    msgpack_sbuffer_init (&buffer);
    zframe_t *frame = NULL;
    if (sv_proto_encode (self, &buffer) == 0)
        frame = zframe_new (buffer.data, buffer.size);
    msgpack_sbuffer_destroy (&buffer);
    return frame;
}

//  Ends a failed decode: frees what was decoded, keeps the reason, logs it
static int
s_refuse (sv_proto_t *self)
{
    char reason [sizeof (self->reason)];
    memcpy (reason, self->reason, sizeof (reason));
    sv_proto_reset (self);
    memcpy (self->reason, reason, sizeof (reason));
    zsys_warning ("sv_proto: refused a message: %s", self->reason);
    return -1;
}

static int
s_decode (sv_proto_t *self, const uint8_t *data, size_t size, bool packed)
{
    assert (self);
    sv_proto_reset (self);
    s_decoder_t dec = { .message = self };

    //  Before anything is allocated: the bytes are one complete object and
    //  nothing in them declares more than they hold
    const char *why = NULL;
    if (sv_msgpack_check (data, size, SV_MSGPACK_MAX_DEPTH, &why)) {
        s_fail (&dec, "malformed msgpack: %s", why);
        return s_refuse (self);
    }
    sv_msgpack_reader_init (&dec.reader, data, size);
    sv_msgpack_item_t map;
    if (s_read_type (&dec, SV_MSGPACK_MAP, &map))
        return s_refuse (self);
    const uint8_t *first_entry = dec.reader.cursor;
    sv_proto_id_t id = 0;
    if (s_decode_header (&dec, map.size, &id))
        return s_refuse (self);

    //  Second pass: the fields. self->id is set first so that a failure
    //  frees whatever was copied out.
    self->id = id;
    dec.name = s_names [id];
    dec.reader.cursor = first_entry;
    uint32_t entries = map.size;
    if (packed && !(self->arena = dec.arena = malloc (size))) {
        s_fail (&dec, "out of memory");
        return s_refuse (self);
    }
    int rc = -1;
    switch (id) {
$decode_cases
    }
    return rc? s_refuse (self): 0;
}

int
sv_proto_decode (sv_proto_t *self, const uint8_t *data, size_t size)
{
    return s_decode (self, data, size, false);
}

int
sv_proto_decode_packed (sv_proto_t *self, const uint8_t *data, size_t size)
{
    return s_decode (self, data, size, true);
}

void
sv_proto_reset (sv_proto_t *self)
{
    assert (self);
    bool owned = self->arena == NULL;
    switch (self->id) {
$free_cases
    }
    free (self->arena);
    memset (self, 0, sizeof (*self));
}

void
sv_proto_print (const sv_proto_t *self, FILE *out)
{
    assert (self);
    assert (out);
    fprintf (out, "%s:\n", sv_proto_name (self->id));
    switch (self->id) {
$print_cases
    }
}

const char *
sv_proto_name (sv_proto_id_t id)
{
    return (size_t) id < S_MESSAGES? s_names [id]: "?";
}


//  ---------------------------------------------------------------------------
//  Self test
$strings_sample
$samples
//  Asserts the bytes in buffer are refused for a reason containing expected,
//  then empties the buffer
static void
s_test_refused (msgpack_sbuffer *buffer, const char *expected, bool verbose)
{
    sv_proto_t message = { 0 };
    int rc = sv_proto_decode (&message, (const uint8_t *) buffer->data, buffer->size);
    if (verbose)
        printf ("  refused: %s\n", message.reason);
    assert (rc == -1);
    assert (message.id == 0);
    assert (strstr (message.reason, expected));
    msgpack_sbuffer_clear (buffer);
}

//  Starts a hand-built message: a map of entries, "v" and "id" first
static void
s_test_begin (msgpack_packer *pk, uint32_t entries, uint64_t version, const char *name)
{
    int rc = msgpack_pack_map (pk, entries)
          || s_put_uint (pk, "v", version)
          || s_put_string (pk, "id", name);
    assert (rc == 0);
}

void
sv_proto_test (bool verbose)
{
    if (verbose)
        printf (" * sv_proto: ");

    msgpack_sbuffer buffer;
    msgpack_sbuffer_init (&buffer);
    msgpack_packer pk;
    msgpack_packer_init (&pk, &buffer, msgpack_sbuffer_write);
    sv_proto_t message = { 0 };
    int rc;

    //  Every message survives a round trip, lists included: the copy encodes
    //  to the same bytes, and still does once the original bytes are gone
    for (size_t id = 1; id < S_MESSAGES; id++) {
        sv_proto_t sample;
        s_test_fill (&sample, (sv_proto_id_t) id);
        rc = sv_proto_encode (&sample, &buffer);
        assert (rc == 0);
        msgpack_sbuffer expected;
        msgpack_sbuffer_init (&expected);
        rc = sv_proto_encode (&sample, &expected);
        assert (rc == 0);

        rc = sv_proto_decode (&message, (const uint8_t *) buffer.data, buffer.size);
        assert (rc == 0);
        assert (message.id == id);
        assert (message.reason [0] == 0);
        assert (streq (sv_proto_name (message.id), s_names [id]));
        if (verbose)
            sv_proto_print (&message, stdout);
        memset (buffer.data, 0xff, buffer.size);
        msgpack_sbuffer_clear (&buffer);
        rc = sv_proto_encode (&message, &buffer);
        assert (rc == 0);
        assert (buffer.size == expected.size);
        assert (memcmp (buffer.data, expected.data, expected.size) == 0);

        //  A packed decode reads the same values, and with an optional
        //  field left out (the shorter sample) as well
        sv_proto_t packed = { 0 };
        rc = sv_proto_decode_packed (&packed, (const uint8_t *) expected.data, expected.size);
        assert (rc == 0 && packed.id == id && packed.arena);
        msgpack_sbuffer_clear (&buffer);
        rc = sv_proto_encode (&packed, &buffer);
        assert (rc == 0);
        assert (buffer.size == expected.size);
        assert (memcmp (buffer.data, expected.data, expected.size) == 0);
        sv_proto_reset (&packed);
        assert (packed.id == 0 && packed.arena == NULL);

        //  Every truncation is refused, and so is a trailing byte, packed
        //  or not
        for (size_t size = 0; size < expected.size; size++) {
            rc = sv_proto_decode (&message, (const uint8_t *) expected.data, size);
            assert (rc == -1);
            assert (message.id == 0 && message.reason [0]);
            rc = sv_proto_decode_packed (&packed, (const uint8_t *) expected.data, size);
            assert (rc == -1);
            assert (packed.id == 0 && packed.reason [0] && packed.arena == NULL);
        }
        msgpack_sbuffer_write (&expected, "\xc0", 1);
        rc = sv_proto_decode (&message, (const uint8_t *) expected.data, expected.size);
        assert (rc == -1);
        assert (strstr (message.reason, "trailing bytes"));
        msgpack_sbuffer_destroy (&expected);
        msgpack_sbuffer_clear (&buffer);
    }
    sv_proto_reset (&message);
    sv_proto_reset (&message);              //  safe twice

    //  Decoded values are the values sent
    sv_proto_t sample;
    s_test_fill (&sample, SV_PROTO_EVENTS);
    sample.events.stream = "ingest";
    sample.events.after_seq = 41;
    sample.events.head_seq = 42;
    zframe_t *frame = sv_proto_encode_frame (&sample);
    assert (frame);
    rc = sv_proto_decode (&message, zframe_data (frame), zframe_size (frame));
    zframe_destroy (&frame);
    assert (rc == 0);
    assert (message.id == SV_PROTO_EVENTS);
    assert (streq (message.events.stream, "ingest"));
    assert (message.events.after_seq == 41 && message.events.head_seq == 42);
    assert (message.events.events_count == 2);
    sv_proto_event_t *event = &message.events.events [1];
    assert (event->seq == s_test_event [1].seq);
    assert (streq (event->type, s_test_event [1].type));
    assert (event->body_size == s_test_event [1].body_size);
    assert (memcmp (event->body, s_test_event [1].body, event->body_size) == 0);
    FILE *sink = tmpfile ();
    assert (sink);
    sv_proto_print (&message, sink);
    assert (ftell (sink) > 0);
    fclose (sink);
    sv_proto_reset (&message);
    assert (message.id == 0 && message.events.events == NULL);

    //  Encoding: NULL strings go as "", NULL lists and bytes as empty; an id
    //  that is not a message is refused and leaves the buffer untouched
    sv_proto_t unfilled = { .id = SV_PROTO_EVENTS };
    unfilled.events.events_count = 3;
    rc = sv_proto_encode (&unfilled, &buffer);
    assert (rc == 0);
    rc = sv_proto_decode (&message, (const uint8_t *) buffer.data, buffer.size);
    assert (rc == 0);
    assert (streq (message.events.stream, "") && message.events.events_count == 0);
    msgpack_sbuffer_clear (&buffer);
    unfilled.id = (sv_proto_id_t) 0;
    rc = sv_proto_encode (&unfilled, &buffer);
    assert (rc == -1 && buffer.size == 0);
    unfilled.id = (sv_proto_id_t) S_MESSAGES;
    rc = sv_proto_encode (&unfilled, &buffer);
    assert (rc == -1 && buffer.size == 0);
    frame = sv_proto_encode_frame (&unfilled);
    assert (frame == NULL);
    assert (streq (sv_proto_name ((sv_proto_id_t) 0), "?"));
    assert (streq (sv_proto_name ((sv_proto_id_t) S_MESSAGES), "?"));
    assert (streq (sv_proto_name (SV_PROTO_FETCH), "FETCH"));

    //  Keys may come in any order, and keys this version does not know are
    //  ignored; a uint may arrive in a signed encoding
    rc = msgpack_pack_map (&pk, 6)
      || s_put_uint (&pk, "max", 100)
      || s_put_string (&pk, "future", "ignored")
      || s_put_string (&pk, "stream", "valuation")
      || s_put_string (&pk, "id", "FETCH")
      || s_put_key (&pk, "after_seq") || msgpack_pack_int8 (&pk, 7)
      || s_put_uint (&pk, "v", SV_PROTO_VERSION);
    assert (rc == 0);
    rc = sv_proto_decode (&message, (const uint8_t *) buffer.data, buffer.size);
    assert (rc == 0);
    assert (message.id == SV_PROTO_FETCH);
    assert (streq (message.fetch.stream, "valuation"));
    assert (message.fetch.after_seq == 7 && message.fetch.max == 100);
    msgpack_sbuffer_clear (&buffer);

    //  An absent optional string reads as "", never NULL
    s_test_begin (&pk, 3, SV_PROTO_VERSION, "ALERT_ACK");
    rc = s_put_string (&pk, "alert_id", "rlw-17");
    assert (rc == 0);
    rc = sv_proto_decode (&message, (const uint8_t *) buffer.data, buffer.size);
    assert (rc == 0);
    assert (streq (message.alert_ack.alert_id, "rlw-17") && streq (message.alert_ack.by, ""));
    msgpack_sbuffer_clear (&buffer);

    //  int fields take the whole int64 range, and no more
    s_test_begin (&pk, 5, SV_PROTO_VERSION, "CONTRACT");
    rc = s_put_string (&pk, "partner", "council")
      || s_put_string (&pk, "contract_id", "C-1")
      || s_put_uint (&pk, "value_pence", INT64_MAX);
    assert (rc == 0);
    rc = sv_proto_decode (&message, (const uint8_t *) buffer.data, buffer.size);
    assert (rc == 0);
    assert (message.contract.value_pence == INT64_MAX);
    assert (streq (message.contract.title, "") && !message.contract.incomplete);
    msgpack_sbuffer_clear (&buffer);
    s_test_begin (&pk, 5, SV_PROTO_VERSION, "CONTRACT");
    rc = s_put_string (&pk, "partner", "council")
      || s_put_string (&pk, "contract_id", "C-1")
      || s_put_uint (&pk, "value_pence", (uint64_t) INT64_MAX + 1);
    assert (rc == 0);
    s_test_refused (&buffer, "CONTRACT.value_pence: 9223372036854775808 is out of range", verbose);

    //  Refusals, each for its reason
    rc = msgpack_pack_array (&pk, 0);
    assert (rc == 0);
    s_test_refused (&buffer, "expected map, got array", verbose);
    msgpack_sbuffer_write (&buffer, "\xdd\x10\x00\x00\x00", 5);
    s_test_refused (&buffer, "declared count exceeds the message", verbose);
    msgpack_sbuffer_write (&buffer, "\xdb\xff\xff\xff\xff", 5);
    s_test_refused (&buffer, "declared length exceeds the message", verbose);

    //  Every version from the oldest supported to this one reads; a newer
    //  one, or one no longer supported, is refused
    for (uint64_t version = SV_PROTO_OLDEST - 1; version <= SV_PROTO_VERSION + 1; version++) {
        s_test_begin (&pk, 5, version, "FETCH");
        rc = s_put_string (&pk, "stream", "ingest")
          || s_put_uint (&pk, "after_seq", 0)
          || s_put_uint (&pk, "max", 10);
        assert (rc == 0);
        if (version >= SV_PROTO_OLDEST && version <= SV_PROTO_VERSION) {
            rc = sv_proto_decode (&message, (const uint8_t *) buffer.data, buffer.size);
            assert (rc == 0 && message.id == SV_PROTO_FETCH);
            sv_proto_reset (&message);
            msgpack_sbuffer_clear (&buffer);
        }
        else
            s_test_refused (&buffer, "protocol version", verbose);
    }

    rc = msgpack_pack_map (&pk, 1) || s_put_string (&pk, "id", "FETCH");
    assert (rc == 0);
    s_test_refused (&buffer, "no protocol version", verbose);

    rc = msgpack_pack_map (&pk, 1) || s_put_uint (&pk, "v", SV_PROTO_VERSION);
    assert (rc == 0);
    s_test_refused (&buffer, "no message name", verbose);

    s_test_begin (&pk, 2, SV_PROTO_VERSION, "NO_SUCH\n");
    s_test_refused (&buffer, "unknown message \"NO_SUCH?\"", verbose);

    s_test_begin (&pk, 5, SV_PROTO_VERSION, "FETCH");
    rc = s_put_string (&pk, "stream", "ingest")
      || s_put_string (&pk, "after_seq", "41")
      || s_put_uint (&pk, "max", 10);
    assert (rc == 0);
    s_test_refused (&buffer, "FETCH.after_seq: expected uint, got str", verbose);

    s_test_begin (&pk, 5, SV_PROTO_VERSION, "FETCH");
    rc = s_put_string (&pk, "stream", "ingest")
      || s_put_int (&pk, "after_seq", -1)
      || s_put_uint (&pk, "max", 10);
    assert (rc == 0);
    s_test_refused (&buffer, "FETCH.after_seq: -1 is negative", verbose);

    s_test_begin (&pk, 4, SV_PROTO_VERSION, "FETCH");
    rc = s_put_string (&pk, "stream", "ingest")
      || s_put_uint (&pk, "after_seq", 0);
    assert (rc == 0);
    s_test_refused (&buffer, "FETCH.max: required field missing", verbose);

    s_test_begin (&pk, 6, SV_PROTO_VERSION, "FETCH");
    rc = s_put_string (&pk, "stream", "ingest")
      || s_put_string (&pk, "stream", "ingest")
      || s_put_uint (&pk, "after_seq", 0)
      || s_put_uint (&pk, "max", 10);
    assert (rc == 0);
    s_test_refused (&buffer, "FETCH.stream: appears twice", verbose);

    s_test_begin (&pk, 5, SV_PROTO_VERSION, "FETCH");
    rc = s_put_key (&pk, "stream")
      || msgpack_pack_str (&pk, 3) || msgpack_pack_str_body (&pk, "a\0b", 3)
      || s_put_uint (&pk, "after_seq", 0)
      || s_put_uint (&pk, "max", 10);
    assert (rc == 0);
    s_test_refused (&buffer, "FETCH.stream: string holds a NUL byte", verbose);

    s_test_begin (&pk, 3, SV_PROTO_VERSION, "FETCH");
    rc = msgpack_pack_uint8 (&pk, 1) || msgpack_pack_nil (&pk);
    assert (rc == 0);
    s_test_refused (&buffer, "a key is a uint", verbose);

    //  A list element of the wrong shape, and one missing a field
    s_test_begin (&pk, 6, SV_PROTO_VERSION, "EVENTS");
    rc = s_put_list (&pk, "events", 1) || msgpack_pack_uint8 (&pk, 1)
      || s_put_string (&pk, "stream", "ingest")
      || s_put_uint (&pk, "after_seq", 0)
      || s_put_uint (&pk, "head_seq", 1);
    assert (rc == 0);
    s_test_refused (&buffer, "EVENTS.events[0]: expected map, got uint", verbose);

    //  More elements than the bytes left can hold valid ones of: two empty
    //  maps where events (24 bytes at least) are due
    s_test_begin (&pk, 6, SV_PROTO_VERSION, "EVENTS");
    rc = s_put_string (&pk, "stream", "ingest")
      || s_put_uint (&pk, "after_seq", 0)
      || s_put_uint (&pk, "head_seq", 1)
      || s_put_list (&pk, "events", 2) || msgpack_pack_map (&pk, 0) || msgpack_pack_map (&pk, 0);
    assert (rc == 0);
    s_test_refused (&buffer, "EVENTS.events: 2 elements cannot fit in the 2 bytes left;"
                    " a valid one takes at least 24", verbose);

    s_test_begin (&pk, 6, SV_PROTO_VERSION, "EVENTS");
    rc = s_put_string (&pk, "stream", "ingest")
      || s_put_uint (&pk, "after_seq", 0)
      || s_put_uint (&pk, "head_seq", 2)
      || s_put_list (&pk, "events", 2)
      || msgpack_pack_map (&pk, 4) || s_encode_event (&pk, &s_test_event [0])
      || msgpack_pack_map (&pk, 3)
      || s_put_uint (&pk, "seq", 2) || s_put_string (&pk, "type", "SPEND")
      || s_put_string (&pk, "key", "k");
    assert (rc == 0);
    s_test_refused (&buffer, "EVENTS.events[1].body: required field missing", verbose);

    //  Decoding after all those refusals still works
    s_test_fill (&sample, SV_PROTO_FETCH);
    rc = sv_proto_encode (&sample, &buffer);
    assert (rc == 0);
    rc = sv_proto_decode (&message, (const uint8_t *) buffer.data, buffer.size);
    assert (rc == 0 && message.id == SV_PROTO_FETCH);
    sv_proto_reset (&message);

    //  A packed decode gives an absent optional string as "", and borrows
    //  its bytes from the frame
    msgpack_sbuffer_clear (&buffer);
    sample.fetch.types = NULL;
    rc = sv_proto_encode (&sample, &buffer);
    assert (rc == 0);
    rc = sv_proto_decode_packed (&message, (const uint8_t *) buffer.data, buffer.size);
    assert (rc == 0 && message.id == SV_PROTO_FETCH && streq (message.fetch.types, ""));
    sv_proto_reset (&message);
    msgpack_sbuffer_clear (&buffer);
    s_test_fill (&sample, SV_PROTO_EVENTS);
    rc = sv_proto_encode (&sample, &buffer);
    assert (rc == 0);
    rc = sv_proto_decode_packed (&message, (const uint8_t *) buffer.data, buffer.size);
    assert (rc == 0 && message.events.events_count == 2);
    const uint8_t *body = message.events.events [1].body;
    assert (body > (const uint8_t *) buffer.data
         && body < (const uint8_t *) buffer.data + buffer.size);
    assert (memcmp (body, s_test_event [1].body, s_test_event [1].body_size) == 0);
    sv_proto_reset (&message);

    msgpack_sbuffer_destroy (&buffer);
    if (verbose)
        printf ("OK\n");
}
'''

if __name__ == '__main__':
    sys.exit(main(sys.argv))

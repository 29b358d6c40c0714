package agreement

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"github.com/llamashare/llamashare/internal/spell"
	"github.com/llamashare/llamashare/pkg/diag"
	"github.com/llamashare/llamashare/pkg/period"
	"github.com/llamashare/llamashare/pkg/workdir"
)

// Load reads the agreement file at path and decodes it with Decode. A file
// that cannot be opened or read gives the *fs.PathError of the os package
// (so errors.Is(err, fs.ErrNotExist) works); a file over MaxSize bytes and
// every problem with its content give a diag.List.
func Load(path string) (*Agreement, error) { return LoadIn("", path) }

// LoadIn is Load with a relative path taken from the folder dir instead of
// the process's working folder; the agreement keeps path as given (its
// Path) and dir as its WorkDir.
func LoadIn(dir workdir.Dir, path string) (*Agreement, error) {
	f, err := dir.Open(path)
	if err != nil {
		msg := err.Error()
		if pe, ok := err.(*fs.PathError); ok {
			msg = pe.Err.Error()
		}
		return nil, diag.Problem{Path: path, Msg: "cannot read agreement: " + msg,
			Hint: "name the agreement with -a FILE or LLAMASHARE_AGREEMENT"}
	}
	defer f.Close()
	// Read one byte more than allowed so that an oversized file is seen
	// without reading all of it.
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, diag.Problem{Path: path, Msg: "cannot read agreement: " + err.Error()}
	}
	if len(data) > MaxSize {
		return nil, tooLarge(path)
	}
	a, err := Decode(path, data)
	if err != nil {
		return nil, err
	}
	a.WorkDir = dir
	return a, nil
}

// Decode decodes and validates the agreement file data (SPEC 2). path is
// only used in messages and as Agreement.Path. SHA256 is the hex digest of
// data. On failure the error is a diag.List holding every problem found,
// sorted by position, each as `path:line:col: message`.
func Decode(path string, data []byte) (*Agreement, error) {
	if len(data) > MaxSize {
		return nil, tooLarge(path)
	}
	root, probs := parse(path, data)
	if len(probs) > 0 {
		return nil, probs
	}
	d := &decoder{path: path}
	a := d.agreement(root)
	if len(d.probs) > 0 {
		sortProblems(d.probs)
		return nil, d.probs
	}
	sum := sha256.Sum256(data)
	a.Path = path
	a.SHA256 = hex.EncodeToString(sum[:])
	a.index()
	return a, nil
}

// tagText is a tag as written: `!!float` for the YAML core tags.
func tagText(tag string) string {
	if t, ok := strings.CutPrefix(tag, "tag:yaml.org,2002:"); ok {
		return "!!" + t
	}
	return tag
}

func tooLarge(path string) diag.List {
	return diag.List{{Path: path, Msg: fmt.Sprintf("agreement file is larger than %d MiB", MaxSize>>20)}}
}

// parse checks the encoding, parses data as exactly one YAML document
// without anchors or aliases and returns its root node (the content of the
// document node).
func parse(path string, data []byte) (*yaml.Node, diag.List) {
	var probs diag.List
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		probs.Add(diag.Problem{Path: path, Msg: "agreement file is UTF-16: save it as UTF-8"})
		return nil, probs
	}
	if !utf8.Valid(data) {
		line, col := invalidUTF8(data)
		probs.Addf(path, line, col, "agreement file is not valid UTF-8")
		return nil, probs
	}

	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			probs.Add(diag.Problem{Path: path, Msg: "agreement file is empty"})
		} else {
			probs.Add(diag.YAMLSyntax(path, data, err))
		}
		return nil, probs
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == io.EOF:
	case err != nil:
		probs.Add(diag.YAMLSyntax(path, data, err))
		return nil, probs
	default:
		line, col := next.Line, next.Column
		if line == 0 && len(next.Content) > 0 {
			line, col = next.Content[0].Line, next.Content[0].Column
		}
		probs.Addf(path, line, col, "multiple yaml documents are not supported")
		return nil, probs
	}

	// Anchors and aliases: aliases are how YAML bombs are built, and a
	// shared node would need care in every error position. An agreement
	// never needs them. The tree is at most 10000 deep (yaml's own limit).
	stack := []*yaml.Node{&doc}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Anchor != "" || n.Kind == yaml.AliasNode {
			probs.Addf(path, n.Line, n.Column, "yaml anchors and aliases are not supported")
		}
		if n.Style&yaml.TaggedStyle != 0 {
			// `!!float 1` or `!foo x`: a tag would change how a value is
			// read (an amount through a float) or mean nothing to us.
			probs.Addf(path, n.Line, n.Column, "yaml tags are not supported (%s): write the value without it", tagText(n.Tag))
		}
		if n.Kind == yaml.AliasNode {
			continue
		}
		for i := len(n.Content) - 1; i >= 0; i-- {
			stack = append(stack, n.Content[i])
		}
	}
	if len(probs) > 0 {
		sortProblems(probs)
		return nil, probs
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		probs.Add(diag.Problem{Path: path, Msg: "agreement file is empty"})
		return nil, probs
	}
	return doc.Content[0], nil
}

// invalidUTF8 returns the 1-based line and column (in bytes) of the first
// byte of data that is not valid UTF-8.
func invalidUTF8(data []byte) (line, col int) {
	line, start := 1, 0
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size <= 1 {
			return line, utf8.RuneCount(data[start:i]) + 1
		}
		if r == '\n' {
			line++
			start = i + 1
		}
		i += size
	}
	return line, 1
}

// sortProblems orders problems by position, keeping the order of those at
// the same position.
func sortProblems(l diag.List) {
	sort.SliceStable(l, func(i, j int) bool {
		if l[i].Line != l[j].Line {
			return l[i].Line < l[j].Line
		}
		return l[i].Col < l[j].Col
	})
}

// decoder walks the node tree of one agreement file, collecting every
// problem instead of stopping at the first.
type decoder struct {
	path  string
	probs diag.List
	kind  period.Kind // the agreement's period; 0 while unknown or invalid
	scale int32       // the rounding scale; -1 while unknown
}

// errorf reports a problem at node n.
func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.probs.Addf(d.path, n.Line, n.Column, format, args...)
}

// hintf reports a problem at node n with a hint (none when hint is "").
func (d *decoder) hintf(n *yaml.Node, hint, format string, args ...any) {
	d.probs.Add(diag.Problem{Path: d.path, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...), Hint: hint})
}

// didYouMean returns the hint `did you mean "x"?` for the known word
// closest to word, or "".
func didYouMean(word string, known []string) string {
	return spell.Hint(suggest(word, known))
}

// suggest returns the known word closest to word: within a Levenshtein
// distance of 2 (1 for words of 3 letters or fewer), or one a prefix of the
// other; "" when none is close.
func suggest(word string, known []string) string {
	w := strings.ToLower(strings.TrimSpace(word))
	if w == "" || len(w) > 64 {
		return ""
	}
	maxDist := 2
	if utf8.RuneCountInString(w) <= 3 {
		maxDist = 1
	}
	best, bestScore := "", maxDist+2
	for _, k := range known {
		score := spell.Distance(w, k)
		if score > maxDist {
			score = maxDist + 2
			if (len(w) >= 3 && strings.HasPrefix(k, w)) || (len(k) >= 3 && strings.HasPrefix(w, k)) {
				score = maxDist + 1
			}
		}
		if score < bestScore {
			best, bestScore = k, score
		}
	}
	return best
}

// entry is one key/value pair of a mapping.
type entry struct {
	key, val *yaml.Node
}

// entries returns the pairs of the mapping n in file order, reporting
// (and dropping) keys that are not strings and duplicate keys. ok is false,
// with a problem reported, when n is not a mapping; name is what the
// message calls it ("hosts must be a mapping").
func (d *decoder) entries(n *yaml.Node, name string) (pairs []entry, ok bool) {
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "%s must be a mapping", name)
		return nil, false
	}
	first := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "keys of %s must be strings", name)
			continue
		}
		if f, dup := first[k.Value]; dup {
			d.errorf(k, "duplicate key %q (first at line %d)", k.Value, f.Line)
			continue
		}
		first[k.Value] = k
		pairs = append(pairs, entry{k, v})
	}
	return pairs, true
}

// object is a mapping checked against a fixed set of keys.
type object struct {
	node *yaml.Node
	vals map[string]*yaml.Node
	keys map[string]*yaml.Node
}

// get returns the value of key, or nil when it is absent.
func (o *object) get(key string) *yaml.Node { return o.vals[key] }

// key returns the key node of key, or nil when it is absent.
func (o *object) key(key string) *yaml.Node { return o.keys[key] }

// object checks the mapping n: its keys must be among known, required ones
// must be present. ctx names the mapping in messages ("unknown key "x" in
// terms"); "" is the top level. It reports every problem and returns the
// known keys present; ok is false when n is not a mapping at all.
func (d *decoder) object(n *yaml.Node, name, ctx string, known, required []string) (*object, bool) {
	pairs, ok := d.entries(n, name)
	if !ok {
		return nil, false
	}
	in := ""
	if ctx != "" {
		in = " in " + ctx
	}
	o := &object{node: n, vals: map[string]*yaml.Node{}, keys: map[string]*yaml.Node{}}
	for _, p := range pairs {
		if !contains(known, p.key.Value) {
			d.hintf(p.key, didYouMean(p.key.Value, known), "unknown key %q%s", p.key.Value, in)
			continue
		}
		o.vals[p.key.Value] = p.val
		o.keys[p.key.Value] = p.key
	}
	for _, r := range required {
		if _, ok := o.vals[r]; !ok {
			d.errorf(n, "missing required key %q%s", r, in)
		}
	}
	return o, true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// isNull reports whether n is an empty or null scalar (`key:` or `key: ~`).
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// isNumber reports whether n is a plain YAML number.
func isNumber(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && (n.Tag == "!!int" || n.Tag == "!!float")
}

// scalar returns n's text; ok is false when n is not a non-null scalar.
func scalar(n *yaml.Node) (s string, ok bool) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		return "", false
	}
	return n.Value, true
}

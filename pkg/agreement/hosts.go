// Decoding of `hosts`: ids, names and aliases.

package agreement

import (
	"fmt"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// hosts decodes `hosts`, checks that aliases do not collide and returns
// the hosts sorted by id.
func (d *decoder) hosts(n *yaml.Node) []*Host {
	pairs, ok := d.entries(n, "hosts")
	if !ok {
		return nil
	}
	if len(pairs) == 0 {
		d.errorf(n, "hosts must have at least one host")
		return nil
	}
	// Every id first, so that an alias colliding with a later host's id
	// is found; then aliases in file order.
	type owner struct {
		host string
		node *yaml.Node
	}
	taken := map[string]owner{}
	for _, p := range pairs {
		taken[strings.ToLower(p.key.Value)] = owner{p.key.Value, p.key}
	}
	var hosts []*Host
	for _, p := range pairs {
		id := p.key.Value
		if !hostIDPattern.MatchString(id) {
			hint := ""
			if l := strings.ToLower(strings.TrimSpace(id)); hostIDPattern.MatchString(l) {
				hint = fmt.Sprintf("did you mean %q?", l)
			}
			d.hintf(p.key, hint, "host id %q must be lowercase letters, digits and '-'", id)
		}
		h, aliasNodes := d.host(id, p.val)
		for i, al := range h.Aliases {
			k := strings.ToLower(al)
			if o, ok := taken[k]; ok && o.host != id {
				d.errorf(aliasNodes[i], "alias %q of host %q is already used by host %q at line %d", al, id, o.host, o.node.Line)
				continue
			}
			taken[k] = owner{id, aliasNodes[i]}
		}
		hosts = append(hosts, h)
	}
	sort.Slice(hosts, func(i, j int) bool { return hosts[i].ID < hosts[j].ID })
	return hosts
}

// host decodes one host; it also returns the node of each alias.
func (d *decoder) host(id string, n *yaml.Node) (*Host, []*yaml.Node) {
	h := &Host{ID: id}
	what := fmt.Sprintf("host %q", id)
	o, ok := d.object(n, what, what, hostKeys, []string{"terms"})
	if !ok {
		return h, nil
	}
	if v := o.get("name"); v != nil {
		h.Name, _ = d.str(v, "name")
	}
	var aliasNodes []*yaml.Node
	if v := o.get("aliases"); v != nil {
		items, _ := d.list(v, "aliases")
		for _, it := range items {
			if s, ok := d.text(it, "alias"); ok {
				h.Aliases = append(h.Aliases, s)
				aliasNodes = append(aliasNodes, it)
			}
		}
	}
	if v := o.get("terms"); v != nil {
		h.Terms = d.terms(v)
	}
	return h, aliasNodes
}

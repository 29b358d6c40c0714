package cli

import (
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/llamashare/llamashare/pkg/agreement"
	"github.com/llamashare/llamashare/pkg/period"
)

func newCompletionCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "completion {bash|zsh|fish|powershell}",
		Short: "Print a shell completion script",
		Long: `Completion prints a script that makes your shell complete llamashare's
commands, flags and their values: -o's formats, --host's ids and aliases
and --format's names (read from the agreement), -p's periods (those of the
agreement's terms), and file names of the right kind for --out, -a and the
other paths.

Bash (needs the bash-completion package):
  source <(llamashare completion bash)                     # this shell
  llamashare completion bash > ~/.local/share/bash-completion/completions/llamashare

Zsh:
  echo "autoload -U compinit; compinit" >> ~/.zshrc       # once, if not yet
  llamashare completion zsh > "${fpath[1]}/_llamashare"    # then open a new shell

Fish:
  llamashare completion fish > ~/.config/fish/completions/llamashare.fish

PowerShell:
  llamashare completion powershell | Out-String | Invoke-Expression   # this session
  llamashare completion powershell >> $PROFILE                        # every session`,
		Example: `  llamashare completion bash > llamashare.bash
  llamashare completion zsh > _llamashare`,
		Args:      cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs),
		ValidArgs: []string{"bash", "zsh", "fish", "powershell"},
		RunE: func(cmd *cobra.Command, args []string) error {
			out := cmd.OutOrStdout()
			switch args[0] {
			case "bash":
				return root.GenBashCompletionV2(out, true)
			case "zsh":
				return root.GenZshCompletion(out)
			case "fish":
				return root.GenFishCompletion(out, true)
			default:
				return root.GenPowerShellCompletionWithDesc(out)
			}
		},
	}
}

// fileExt completes file names ending in one of exts (and folders).
func fileExt(exts ...string) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return exts, cobra.ShellCompDirectiveFilterFileExt
	}
}

// registerCompletions completes the values of addInputFlags' flags.
func (g *globals) registerCompletions(cmd *cobra.Command) {
	_ = cmd.RegisterFlagCompletionFunc("host", g.completeFromAgreement(hostNames))
	_ = cmd.RegisterFlagCompletionFunc("period", g.completeFromAgreement(termPeriods))
}

// completeFromAgreement completes a flag's value with names read from the
// agreement the command would use (-a, else LLAMASHARE_AGREEMENT, else the
// config file, else ./agreement.yaml); nothing when it does not load.
func (g *globals) completeFromAgreement(names func(*agreement.Agreement) []string) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, prefix string) ([]string, cobra.ShellCompDirective) {
		ag := g.completionAgreement(cmd)
		if ag == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, n := range names(ag) {
			if strings.HasPrefix(strings.ToLower(n), strings.ToLower(prefix)) {
				out = append(out, n)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completionAgreement loads the agreement for completion, quietly: the
// shell shows nothing of warnings or errors.
func (g *globals) completionAgreement(cmd *cobra.Command) *agreement.Agreement {
	errOut := g.io.ErrOut
	g.io.ErrOut = io.Discard
	defer func() { g.io.ErrOut = errOut }()
	g.cmd = cmd
	if err := g.loadConfig(cmd); err != nil {
		return nil
	}
	ag, err := g.loadAgreement()
	if err != nil {
		return nil
	}
	return ag
}

// termPeriods are the settlement periods the agreement's terms cover,
// from the earliest start to the latest end (or start, for open terms),
// then the years they touch.
func termPeriods(ag *agreement.Agreement) []string {
	var first, last period.Period
	for _, h := range ag.Hosts {
		for _, t := range h.Terms {
			if first.IsZero() || t.From.Before(first) {
				first = t.From
			}
			end := t.To
			if end.IsZero() {
				end = t.From
			}
			if last.IsZero() || end.After(last) {
				last = end
			}
		}
	}
	if first.IsZero() {
		return nil
	}
	var out, years []string
	seen := map[int]bool{}
	for p := first; !p.After(last); p = p.Next() {
		out = append(out, p.String())
		if !seen[p.Year] && ag.Period != period.Year {
			seen[p.Year] = true
			years = append(years, period.Period{Kind: period.Year, Year: p.Year}.String())
		}
	}
	return append(out, years...)
}

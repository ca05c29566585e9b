package cli

import (
	"fmt"
	"strings"

	"github.com/glomers/glomers/book"
)

func completionCommand() *Command {
	return &Command{
		Name:  "completion",
		Args:  "bash|zsh|fish",
		Short: "print a shell completion script for commands and step ids",
		Long: `Prints a script that teaches your shell to complete tutor's commands
and step ids. Load it in your shell's startup file:

    bash:  source <(tutor completion bash)        in ~/.bashrc
    zsh:   source <(tutor completion zsh)         in ~/.zshrc
    fish:  tutor completion fish | source         in ~/.config/fish/config.fish`,
		Run: func(env *Env, args []string) error {
			if len(args) != 1 {
				return fmt.Errorf("completion: want one shell: bash, zsh or fish")
			}
			var cmds []string
			for _, c := range commands() {
				cmds = append(cmds, c.Name)
			}
			steps := book.PageIDs()
			script, err := completionScript(args[0], cmds, steps)
			if err != nil {
				return err
			}
			_, err = fmt.Fprint(env.Stdout, script)
			return err
		},
	}
}

// completionScript completes the command word, then step ids for the
// commands that take one. Step ids are written into the script, so
// completion never runs tutor.
func completionScript(shell string, cmds, steps []string) (string, error) {
	c, s := strings.Join(cmds, " "), strings.Join(steps, " ")
	stepCmds := "read check node start hint diff"
	switch shell {
	case "bash":
		return `# bash completion for tutor
_tutor() {
	local cur=${COMP_WORDS[COMP_CWORD]}
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "` + c + `" -- "$cur"))
	elif [ "$COMP_CWORD" -eq 2 ]; then
		case ${COMP_WORDS[1]} in
		` + strings.ReplaceAll(stepCmds, " ", "|") + `) COMPREPLY=($(compgen -W "` + s + `" -- "$cur")) ;;
		help) COMPREPLY=($(compgen -W "` + c + `" -- "$cur")) ;;
		completion) COMPREPLY=($(compgen -W "bash zsh fish" -- "$cur")) ;;
		*) COMPREPLY=($(compgen -f -- "$cur")) ;;
		esac
	else
		COMPREPLY=($(compgen -f -- "$cur"))
	fi
}
complete -F _tutor tutor
`, nil
	case "zsh":
		return `#compdef tutor
# zsh completion for tutor
_tutor() {
	if (( CURRENT == 2 )); then
		compadd -- ` + c + `
	elif (( CURRENT == 3 )); then
		case ${words[2]} in
		` + strings.ReplaceAll(stepCmds, " ", "|") + `) compadd -- ` + s + ` ;;
		help) compadd -- ` + c + ` ;;
		completion) compadd -- bash zsh fish ;;
		*) _files ;;
		esac
	else
		_files
	fi
}
compdef _tutor tutor
`, nil
	case "fish":
		return `# fish completion for tutor
complete -c tutor -f
complete -c tutor -n __fish_use_subcommand -a "` + c + `"
complete -c tutor -n "__fish_seen_subcommand_from ` + stepCmds + `" -a "` + s + `"
complete -c tutor -n "__fish_seen_subcommand_from help" -a "` + c + `"
complete -c tutor -n "__fish_seen_subcommand_from completion" -a "bash zsh fish"
`, nil
	}
	return "", fmt.Errorf("completion: unknown shell %q: bash, zsh or fish", shell)
}

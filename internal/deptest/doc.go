// Package deptest holds one test: that the project's packages depend on
// each other only in the directions ARCHITECTURE.md describes. It has no code.
package deptest

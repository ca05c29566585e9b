// Package glomers holds the course's content, embedded so that an
// installed tutor binary (go install) carries it: the chapters, the
// reference solutions' source (for the chapters' code cells) and the
// testscript archives (for transcript cells and tutor check).
//
// It is data only. Package book reads it; nothing else should.
package glomers

import "embed"

// Content is the module's content, at the same paths as in the
// repository: chapters/*.md, solutions/..., testdata/script/*.txtar.
//
//go:embed chapters/*.md solutions testdata/script
var Content embed.FS

"""The `lawrepo` command: one module per command group (main: validate, build, serve, stats; export;
package; reconcile; review).

Imports: every stage.
"""

// Components live here (issue 5); re-exported from the package root.
export {};

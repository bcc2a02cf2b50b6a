-- A module under the sandbox test's require root.
return { answer = 42 }

-- The smallest script: prints a greeting. Used by dev/demo until the domain exists.
print("你好, Steward")

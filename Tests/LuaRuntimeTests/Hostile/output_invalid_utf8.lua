-- attack: invalid UTF-8 in printed output (overlong NUL, lone surrogate, stray bytes).
-- expect: ok
-- stdout: �� ok ��� ��
print("\xff\xfe ok \xed\xa0\x80 \xc0\x80")

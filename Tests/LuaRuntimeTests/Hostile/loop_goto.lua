-- attack: an infinite loop made of a label and a goto.
-- expect: limit.time
-- args: --timeout 500ms
::again::
goto again

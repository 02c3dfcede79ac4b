"""Forms made of questions of several kinds (a programme's feedback form, a call's application form): the kinds,
the columns of a question and of an answer, their rules, and reading answers from a submitted form."""

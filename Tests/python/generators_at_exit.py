# A generator still paused when the program ends is closed, as CPython closes it at exit: its finally block
# runs (after everything the program printed), and one that was exhausted or closed already prints nothing more.
def reader(name):
    try:
        for i in range(3):
            yield name + str(i)
    finally:
        print("closed", name)


done = reader("a")
print(list(done))
closed = reader("b")
print(next(closed))
closed.close()
paused = reader("c")
print(next(paused), next(paused))
print("end of program")

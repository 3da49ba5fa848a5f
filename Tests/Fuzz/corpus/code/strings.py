s = 'héllo, wörld'
print(s.upper(), s.split(','), '-'.join(['a', 'b']), s.replace('l', 'L', 2))
print('%5.2f|%-4s|%x' % (3.14159, 'ab', 255), '{:>8,}'.format(1234567), f'{s!r:^20}')
